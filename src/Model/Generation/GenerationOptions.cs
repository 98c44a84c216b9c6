namespace RetroAct.Model.Generation;

/// <summary>How to sample and when to stop. Temperature 0 means greedy decoding.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens generated per sequence (the stop token, when one ends it, counts and is returned).</summary>
    public int MaxNewTokens { get; init; } = 64;
    /// <summary>0 = greedy (argmax); otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus sampling: sample among the most likely tokens whose probability sums to at least this.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>
    /// Seed of the sampling generator: the same seed, model and prompts give the same tokens. Null draws a fresh
    /// seed per call, so repeated exploration of one prompt does not repeat itself.
    /// </summary>
    public long? Seed { get; init; }
    /// <summary>Token ids that end a sequence (e.g. EOS); the token itself is returned with its log-prob.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];
    /// <summary>Token sequences that end a sequence when the generated tokens end with one of them.</summary>
    public IReadOnlyList<int[]> StopSequences { get; init; } = [];
    /// <summary>Strings that end a sequence once <see cref="Decode"/> of the generated tokens contains one.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Turns generated token ids into text for <see cref="StopStrings"/> (tokenizers live elsewhere).</summary>
    public Func<IReadOnlyList<int>, string>? Decode { get; init; }
    /// <summary>
    /// Constrained decoding: for a row and the tokens it generated so far, the token ids allowed next (null: any).
    /// When sampling, the chosen tokens' log-probabilities are those of the constrained distribution (the model's,
    /// renormalised over the allowed tokens): the behaviour policy π_beh that an off-policy learner corrects for.
    /// </summary>
    public Func<int, IReadOnlyList<int>, IReadOnlyCollection<int>?>? AllowedNextTokens { get; init; }
    /// <summary>False recomputes the whole sequence every step (only for benchmarks and tests).</summary>
    public bool UseKvCache { get; init; } = true;

    internal void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentException($"MaxNewTokens must be >= 1 (got {MaxNewTokens})");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentException($"Temperature must be >= 0 (got {Temperature})");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"TopP must be in (0, 1] (got {TopP})");
        if (StopStrings.Count > 0 && Decode is null) throw new ArgumentException("StopStrings need a Decode callback");
        if (StopSequences.Any(s => s.Length == 0)) throw new ArgumentException("a stop sequence is empty");
    }
}

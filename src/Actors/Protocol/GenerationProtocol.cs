using MessagePack;

namespace RetroAct.Actors.Protocol;

// RolloutWorker <-> PolicyServer: one generation per request; the PolicyServer batches requests from all workers.

/// <summary>
/// Which model or adapter answers a prompt. Mirrors the Rollout layer's agent roles; the actors project does not
/// reference Rollout, so the wire keeps its own enum and the adapter maps between them.
/// </summary>
public enum PolicyRole
{
    Planner = 0,
    Reflector = 1,
}

/// <summary>
/// Asks the node's PolicyServer for one agent text; <see cref="Admissible"/>: the environment's admissible commands at
/// this turn (a planner turn), which a server sampling with <c>Rl:Decoding = admissible</c> constrains the text to.
/// Bound: prompt ≤ 64 KiB UTF-8, admissible commands ≤ 512 and ≤ 32 KiB in all, message ≤ ~100 KB.
/// </summary>
[MessagePackObject]
public sealed record GenerateRequest(Guid RequestId, PolicyRole Role, string Prompt, IReadOnlyList<string>? Admissible = null) : IClusterMessage
{
    /// <summary>Longest prompt accepted (UTF-8 bytes); far above any context window the models here use.</summary>
    public const int MaxPromptBytes = 64 * 1024;

    /// <summary>Most admissible commands accepted (a household turn has tens).</summary>
    public const int MaxAdmissible = 512;

    /// <summary>Most UTF-8 bytes of all admissible commands together.</summary>
    public const int MaxAdmissibleBytes = 32 * 1024;

    [Key(0)] public Guid RequestId { get; } = RequestId;
    [Key(1)] public PolicyRole Role { get; } = Role;
    [Key(2)] public string Prompt { get; } = FrameBudget.Text(Prompt, MaxPromptBytes, nameof(GenerateRequest), nameof(Prompt));

    [Key(3)]
    public IReadOnlyList<string>? Admissible { get; } =
        Admissible is null ? null : FrameBudget.Texts(Admissible, MaxAdmissible, MaxAdmissibleBytes, nameof(GenerateRequest), nameof(Admissible));
}

/// <summary>
/// The generated text with every sampled token, its behaviour log-probability and the policy version that produced it.
/// Bound: text ≤ 16 KiB, ≤ 4096 tokens × (≤ 5 B id + 5 B float) ≈ 57 KB in all.
/// </summary>
[MessagePackObject]
public sealed record GenerateResponse(Guid RequestId, string Text, int[] TokenIds, float[] BehaviourLogProbs, long PolicyVersion)
    : IClusterMessage
{
    /// <summary>Longest generated text accepted (UTF-8 bytes).</summary>
    public const int MaxTextBytes = 16 * 1024;

    /// <summary>Most sampled tokens accepted.</summary>
    public const int MaxTokens = 4096;

    [Key(0)] public Guid RequestId { get; } = RequestId;
    [Key(1)] public string Text { get; } = FrameBudget.Text(Text, MaxTextBytes, nameof(GenerateResponse), nameof(Text));
    [Key(2)] public int[] TokenIds { get; } = FrameBudget.Count(TokenIds, MaxTokens, nameof(GenerateResponse), nameof(TokenIds));

    [Key(3)]
    public float[] BehaviourLogProbs { get; } =
        FrameBudget.Count(BehaviourLogProbs, MaxTokens, nameof(GenerateResponse), nameof(BehaviourLogProbs)).Length == TokenIds.Length
            ? BehaviourLogProbs
            : throw new ArgumentException(
                $"GenerateResponse has {TokenIds.Length} token ids but {BehaviourLogProbs.Length} log-probabilities; they pair one to one",
                nameof(BehaviourLogProbs));

    [Key(4)] public long PolicyVersion { get; } = PolicyVersion;
}

/// <summary>The PolicyServer could not answer (for example the prompt exceeds the model's context). Bound: ~1.1 KB.</summary>
[MessagePackObject]
public sealed record GenerateFailed(Guid RequestId, string Reason) : IClusterMessage
{
    /// <summary>Longest reason accepted (UTF-8 bytes).</summary>
    public const int MaxReasonBytes = 1024;

    [Key(0)] public Guid RequestId { get; } = RequestId;
    [Key(1)] public string Reason { get; } = FrameBudget.Text(Reason, MaxReasonBytes, nameof(GenerateFailed), nameof(Reason));
}

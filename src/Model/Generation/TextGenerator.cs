using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Model.Generation;

/// <summary>
/// Batched autoregressive generation. Prompts of different lengths are left-padded; the attention mask hides
/// the padding and positions count real tokens only, so each sequence gets what it would get alone.
/// </summary>
public static class TextGenerator
{
    public static IReadOnlyList<GeneratedSequence> Generate(LlamaForCausalLM model, IReadOnlyList<int[]> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token");
        int batch = prompts.Count, promptWidth = prompts.Max(p => p.Length);
        int capacity = promptWidth + options.MaxNewTokens;
        if (capacity > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"longest prompt ({promptWidth} tokens) + MaxNewTokens ({options.MaxNewTokens}) exceeds max_position_embeddings ({model.Config.MaxPositionEmbeddings})");
        bool padded = prompts.Any(p => p.Length != promptWidth);

        // Token and mask rows kept on the host: [pad..., prompt..., generated...].
        var rows = prompts.Select(p => Enumerable.Repeat(0L, promptWidth - p.Length).Concat(p.Select(t => (long)t)).ToList()).ToArray();
        var maskRows = prompts.Select(p => Enumerable.Repeat(0L, promptWidth - p.Length).Concat(Enumerable.Repeat(1L, p.Length)).ToList()).ToArray();
        var generated = prompts.Select(_ => new List<int>()).ToArray();
        var logProbs = prompts.Select(_ => new List<float>()).ToArray();
        var finished = new (FinishReason Reason, string? Matched)?[batch];
        var stop = new StopCondition(options);

        bool wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)(options.Seed ?? Random.Shared.NextInt64()), model.Device);
        using var cache = options.UseKvCache ? model.NewCache(batch, capacity) : null;
        try
        {
            for (int step = 0; step < options.MaxNewTokens; step++)
            {
                using var scope = NewDisposeScope();
                // With a cache only the newest token is fed (the whole prompt on the first step).
                int feedFrom = cache is null || step == 0 ? 0 : rows[0].Count - 1;
                var ids = Rows(rows, feedFrom, model.Device);
                var mask = padded ? Rows(maskRows, 0, model.Device) : null;
                var last = model.Forward(ids, mask, cache, lastPositionOnly: true).select(1, 0);
                if (options.AllowedNextTokens is { } allowed) last = Constrain(last, generated, finished, allowed);
                var (tokens, chosenLogProbs) = TokenSampler.Sample(last, options.Temperature, options.TopP, generator);
                var tokenArray = tokens.cpu().data<long>().ToArray();
                var logProbArray = chosenLogProbs.cpu().data<float>().ToArray();

                for (int b = 0; b < batch; b++)
                {
                    // Finished rows keep being fed (their tokens are ignored) so the batch stays rectangular.
                    rows[b].Add(tokenArray[b]);
                    maskRows[b].Add(1);
                    if (finished[b] is not null) continue;
                    generated[b].Add((int)tokenArray[b]);
                    logProbs[b].Add(logProbArray[b]);
                    finished[b] = stop.Check(generated[b]);
                }
                if (finished.All(f => f is not null)) break;
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return Enumerable.Range(0, batch).Select(b => new GeneratedSequence(
            [.. generated[b]], [.. logProbs[b]], finished[b]?.Reason ?? FinishReason.Length, finished[b]?.Matched)).ToArray();
    }

    /// <summary>Sets the logits of tokens a row may not write next to −∞ (rows without a constraint are untouched).</summary>
    private static Tensor Constrain(Tensor logits, List<int>[] generated, (FinishReason, string?)?[] finished,
                                    Func<int, IReadOnlyList<int>, IReadOnlyCollection<int>?> allowedNext)
    {
        long vocab = logits.shape[1];
        var blocked = new bool[generated.Length * vocab];
        bool any = false;
        for (int b = 0; b < generated.Length; b++)
        {
            if (finished[b] is not null || allowedNext(b, generated[b]) is not { Count: > 0 } allowed) continue;
            any = true;
            blocked.AsSpan((int)(b * vocab), (int)vocab).Fill(true);
            foreach (int id in allowed)
                if (id >= 0 && id < vocab) blocked[b * vocab + id] = false;
        }
        return any ? logits.masked_fill(tensor(blocked, [generated.Length, vocab], device: logits.device), MinusInfinity) : logits;
    }

    /// <summary>Rooted for the reason given on <c>RootedScalars</c>.</summary>
    private static readonly Scalar MinusInfinity = float.NegativeInfinity.ToScalar();

    private static Tensor Rows(List<long>[] rows, int from, Device device)
    {
        int width = rows[0].Count - from;
        var flat = new long[rows.Length * width];
        for (int b = 0; b < rows.Length; b++)
            rows[b].CopyTo(from, flat, b * width, width);
        return tensor(flat, [rows.Length, width], device: device);
    }
}

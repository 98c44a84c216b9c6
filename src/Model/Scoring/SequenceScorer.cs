using static TorchSharp.torch;

namespace RetroAct.Model.Scoring;

/// <summary>Teacher-forced per-token log-probabilities: the learner's workhorse for losses and importance ratios.</summary>
public static class SequenceScorer
{
    /// <summary>
    /// Returns [B, T]: entry t is log p(ids[t] | ids[&lt;t]) at temperature 1 where <paramref name="targetMask"/> is
    /// true, and 0 elsewhere. Column 0 has no context and must not be selected. With <paramref name="keepGraph"/>
    /// the result carries the autograd graph (for training); otherwise it is computed under no_grad. The module's
    /// train/eval mode is left as the caller set it (LoRA dropout applies in train mode).
    /// </summary>
    /// <param name="attentionMask">Optional [B, T] key mask (1 = real) for left-padded rows; right padding needs none.</param>
    public static Tensor TokenLogProbs(LlamaForCausalLM model, Tensor ids, Tensor targetMask, Tensor? attentionMask = null, bool keepGraph = false)
    {
        if (targetMask.shape.Length != 2 || !targetMask.shape.SequenceEqual(ids.shape))
            throw new ArgumentException($"target mask shape [{string.Join(", ", targetMask.shape)}] differs from ids [{string.Join(", ", ids.shape)}]");
        using var noGrad = keepGraph ? null : no_grad();
        var selected = targetMask.to_type(ScalarType.Bool);
        if (selected.select(1, 0).any().item<bool>())
            throw new ArgumentException("target mask selects column 0, which has no context to be predicted from");
        long b = ids.shape[0], t = ids.shape[1];
        var logits = model.Forward(ids, attentionMask).narrow(1, 0, t - 1);
        var targets = ids.narrow(1, 1, t - 1).unsqueeze(-1);
        // gather − logsumexp avoids materialising a second [B, T, vocab] tensor for log_softmax.
        var logProbs = logits.gather(-1, targets).squeeze(-1) - logits.logsumexp(-1);
        var shifted = cat([zeros([b, 1], logProbs.dtype, logProbs.device), logProbs], 1);
        using var zero = tensor(0.0); // as the implicit 0.0 made it, but rooted during the call (RootedScalars says why)
        return shifted.where(selected, zero);
    }

    /// <summary>Scores each continuation after its prompt; returns one log-prob per continuation token.</summary>
    public static float[][] ScoreContinuations(LlamaForCausalLM model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> continuations)
    {
        using var scope = NewDisposeScope();
        using var batch = TeacherForcingBatch.Create(prompts, continuations, model.Device);
        var scores = TokenLogProbs(model, batch.Ids, batch.TargetMask).cpu();
        long width = scores.shape[1];
        var flat = scores.data<float>().ToArray();
        return Enumerable.Range(0, prompts.Count)
            .Select(i => flat.AsSpan((int)(i * width) + batch.PromptLengths[i], batch.ContinuationLengths[i]).ToArray())
            .ToArray();
    }
}

using static TorchSharp.torch;

namespace RetroAct.Model.Scoring;

/// <summary>
/// Scores several whole continuations ("choices") after one prompt: the prompt is prefilled once into a KV cache,
/// which is then broadcast so that every choice is scored in one batch attending to it. This is what ranking a
/// planner's admissible commands by the model's likelihood costs per turn: one prefill plus a few short rows,
/// instead of the prompt once per choice.
/// </summary>
public static class ChoiceScorer
{
    /// <summary>
    /// Per choice, log p(choice[t] | prompt, choice[&lt;t]) for each of its tokens at temperature 1 (the same numbers
    /// <see cref="SequenceScorer.ScoreContinuations"/> gives). Runs under no_grad in eval mode.
    /// </summary>
    public static float[][] Score(LlamaForCausalLM model, int[] prompt, IReadOnlyList<int[]> choices)
    {
        if (prompt.Length == 0) throw new ArgumentException("the prompt needs at least one token");
        if (choices.Count == 0) throw new ArgumentException("no choices to score");
        if (choices.Any(c => c.Length == 0)) throw new ArgumentException("a choice is empty");
        int longest = choices.Max(c => c.Length);
        if (prompt.Length + longest > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({prompt.Length} tokens) + longest choice ({longest}) exceeds max_position_embeddings ({model.Config.MaxPositionEmbeddings})");

        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var scores = choices.Select(c => new float[c.Length]).ToArray();

            // The first token of every choice is predicted from the prompt's last position.
            using var promptCache = model.NewCache(1, prompt.Length);
            var first = model.Forward(tensor(prompt.Select(t => (long)t).ToArray(), [1, prompt.Length], device: model.Device),
                                      cache: promptCache, lastPositionOnly: true).select(1, 0).log_softmax(-1).cpu();
            var firstLogProbs = first.data<float>().ToArray();
            for (int i = 0; i < choices.Count; i++) scores[i][0] = firstLogProbs[choices[i][0]];
            if (longest == 1) return scores;

            // Every choice but its last token is fed after the cached prompt; right padding needs no mask, since a
            // padded position comes after each real one and is never read.
            int width = longest - 1;
            var inputs = new long[choices.Count * width];
            var targets = new long[choices.Count * width];
            for (int i = 0; i < choices.Count; i++)
                for (int t = 0; t < choices[i].Length - 1; t++)
                {
                    inputs[i * width + t] = choices[i][t];
                    targets[i * width + t] = choices[i][t + 1];
                }
            using var cache = promptCache.Broadcast(choices.Count, prompt.Length + width);
            var logits = model.Forward(tensor(inputs, [choices.Count, width], device: model.Device), cache: cache);
            var targetTensor = tensor(targets, [choices.Count, width], device: model.Device).unsqueeze(-1);
            var rest = (logits.gather(-1, targetTensor).squeeze(-1) - logits.logsumexp(-1)).cpu().data<float>().ToArray();
            for (int i = 0; i < choices.Count; i++)
                for (int t = 1; t < choices[i].Length; t++)
                    scores[i][t] = rest[i * width + t - 1];
            return scores;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>The index of the most likely choice (total log-probability; the first on a tie).</summary>
    public static int Best(IReadOnlyList<float[]> scores)
    {
        int best = 0;
        double bestTotal = double.NegativeInfinity;
        for (int i = 0; i < scores.Count; i++)
        {
            double total = scores[i].Sum(s => (double)s);
            if (total > bestTotal) (best, bestTotal) = (i, total);
        }
        return best;
    }
}

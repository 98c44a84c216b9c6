using RetroAct.Model.Generation;

namespace RetroAct.Model.Tests;

public class ConstrainedGenerationTests
{
    private static readonly int[][] Prompts = [[5, 9, 2], [7, 1, 1, 4, 30, 12, 8], [40, 3, 3, 17, 22]];
    private const int Newline = 10;

    [Fact]
    public void PrefixConstraintAllowsOnlyContinuationsOfAChoiceAndFreesAfterAnOpening()
    {
        var constraint = new TokenPrefixConstraint([[4, 5, Newline], [4, 6, Newline], [7, Newline]], [[20, 21]]);
        Assert.Equal(new[] { 4, 7, 20 }, constraint.AllowedNext([])!.Order());
        Assert.Equal(new[] { 5, 6 }, constraint.AllowedNext([4])!.Order());
        Assert.Equal(new[] { Newline }, constraint.AllowedNext([4, 6])!.Order());
        Assert.Equal(new[] { 21 }, constraint.AllowedNext([20])!.Order());
        Assert.Null(constraint.AllowedNext([20, 21]));      // a thought: anything may follow
        Assert.Null(constraint.AllowedNext([20, 21, 3, 3]));
        Assert.Null(constraint.AllowedNext([9]));           // off every choice (cannot happen under the constraint): free
    }

    [Fact]
    public void GreedyConstrainedGenerationWritesExactlyOneOfTheChoices()
    {
        using var model = TinyModels.Model(seed: 31);
        int[][] choices = [[11, 12, 13, Newline], [11, 14, Newline], [15, Newline], [16, 17, 18, 19, Newline]];
        var constraint = new TokenPrefixConstraint(choices, []);
        var options = new GenerationOptions
        {
            MaxNewTokens = 8, Temperature = 0, StopTokenIds = [Newline],
            AllowedNextTokens = (_, generated) => constraint.AllowedNext(generated),
        };
        var free = TextGenerator.Generate(model, Prompts, options with { AllowedNextTokens = null });
        var constrained = TextGenerator.Generate(model, Prompts, options);
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Contains(choices, c => c.SequenceEqual(constrained[i].Tokens));
            Assert.Equal(FinishReason.StopToken, constrained[i].FinishReason);
        }
        // The random model left alone writes none of them, so the constraint did the choosing.
        Assert.DoesNotContain(free, f => choices.Any(c => c.SequenceEqual(f.Tokens)));
    }

    [Fact]
    public void ConstrainedSamplingRecordsTheLogProbabilityOfTheRenormalisedDistribution()
    {
        // The behaviour policy of constrained sampling is the model's distribution renormalised over the allowed
        // tokens: log π_beh(t) = logit_t − logsumexp(logits of the allowed tokens), not the free log-softmax.
        using var model = TinyModels.Model(seed: 33);
        int[] allowed = [15, 16, 17];
        var options = new GenerationOptions { MaxNewTokens = 1, Temperature = 1, Seed = 5, AllowedNextTokens = (_, _) => allowed };
        var sampled = TextGenerator.Generate(model, Prompts, options);
        for (int i = 0; i < Prompts.Length; i++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var noGrad = TorchSharp.torch.no_grad();
            var logits = model.Forward(TorchSharp.torch.tensor(Prompts[i].Select(t => (long)t).ToArray()).unsqueeze(0), null, null, lastPositionOnly: true)
                .select(1, 0).squeeze(0).data<float>().ToArray();
            int token = Assert.Single(sampled[i].Tokens);
            Assert.Contains(token, allowed);
            double logSumExp = Math.Log(allowed.Sum(t => Math.Exp(logits[t])));
            double free = logits[token] - Math.Log(logits.Sum(l => Math.Exp(l)));
            Assert.Equal(logits[token] - logSumExp, sampled[i].LogProbs[0], 4);
            Assert.True(sampled[i].LogProbs[0] > free + 1e-3, "the renormalised log-probability is above the free one");
        }
        // Many draws cover every allowed token and nothing else.
        var draws = Enumerable.Range(0, 40).SelectMany(s => TextGenerator.Generate(model, Prompts, options with { Seed = s })).Select(g => g.Tokens[0]).ToHashSet();
        Assert.Equal(allowed, draws.Order());
    }
}

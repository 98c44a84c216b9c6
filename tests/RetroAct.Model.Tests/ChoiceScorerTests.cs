using RetroAct.Model.Scoring;
using static TorchSharp.torch;

namespace RetroAct.Model.Tests;

public class ChoiceScorerTests
{
    private static readonly int[] Prompt = [7, 1, 1, 4, 30, 12, 8, 19];
    private static readonly int[][] Choices = [[3], [9, 2, 44], [9, 2], [50, 13, 13, 6, 1], [27]];

    [Theory]
    [InlineData(2)] // grouped key/value heads: the cached prompt is read through repeat_interleave
    [InlineData(4)] // one key/value head per query head
    public void ScoresAfterOneSharedPrefillEqualScoringEachChoiceWithItsWholePrompt(int kvHeads)
    {
        using var model = TinyModels.Model(TinyModels.Config(tie: false, bias: true, kvHeads: kvHeads), seed: 41);
        TinyModels.RandomiseBiases(model);
        var shared = ChoiceScorer.Score(model, Prompt, Choices);
        var separate = SequenceScorer.ScoreContinuations(model, Choices.Select(_ => Prompt).ToArray(), Choices);
        for (int i = 0; i < Choices.Length; i++)
        {
            Assert.Equal(Choices[i].Length, shared[i].Length);
            for (int t = 0; t < Choices[i].Length; t++)
                Assert.True(Math.Abs(separate[i][t] - shared[i][t]) <= 1e-4, $"choice {i} token {t}: {shared[i][t]} vs {separate[i][t]}");
        }
    }

    [Fact]
    public void OnlySingleTokenChoicesNeedNoSecondPass()
    {
        using var model = TinyModels.Model(seed: 42);
        int[][] singles = [[3], [27], [60]];
        var shared = ChoiceScorer.Score(model, Prompt, singles);
        var separate = SequenceScorer.ScoreContinuations(model, singles.Select(_ => Prompt).ToArray(), singles);
        for (int i = 0; i < singles.Length; i++) Assert.True(Math.Abs(separate[i][0] - shared[i][0]) <= 1e-4);
    }

    [Fact]
    public void TheBestChoiceHasTheHighestTotalAndTiesGoToTheFirst()
    {
        Assert.Equal(1, ChoiceScorer.Best([[-1f, -2f], [-0.5f, -0.5f, -0.5f], [-4f]]));
        Assert.Equal(0, ChoiceScorer.Best([[-1f, -1f], [-2f], [-0.5f, -1.5f]]));
    }

    [Fact]
    public void ScoringLeavesTheModelInTheModeItWasIn()
    {
        using var model = TinyModels.Model(seed: 43);
        model.train();
        ChoiceScorer.Score(model, Prompt, Choices);
        Assert.True(model.training);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheReason()
    {
        using var model = TinyModels.Model(seed: 44);
        Assert.Contains("prompt", Assert.Throws<ArgumentException>(() => ChoiceScorer.Score(model, [], Choices)).Message);
        Assert.Contains("no choices", Assert.Throws<ArgumentException>(() => ChoiceScorer.Score(model, Prompt, [])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => ChoiceScorer.Score(model, Prompt, [[1], []])).Message);
        var tooLong = Enumerable.Repeat(5, 125).ToArray();
        Assert.Contains("max_position_embeddings", Assert.Throws<ArgumentException>(() => ChoiceScorer.Score(model, tooLong, [[1, 2, 3, 4]])).Message);
    }

    [Fact]
    public void ABroadcastCacheHoldsThePromptForEveryRowAndRejectsWhatItCannotHold()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Model(seed: 45);
        using var one = model.NewCache(1, 8);
        model.Forward(tensor(Prompt.Select(t => (long)t).ToArray(), [1, Prompt.Length]), cache: one);
        using var three = one.Broadcast(3, 12);
        Assert.Equal((3, 12, 8), (three.BatchSize, three.Capacity, three.Length));
        // The next token's logits are the same in every row, and the same as without broadcasting.
        var next = model.Forward(tensor(new long[] { 5, 5, 5 }, [3, 1]), cache: three).select(1, 0);
        var alone = model.Forward(tensor(Prompt.Append(5).Select(t => (long)t).ToArray(), [1, Prompt.Length + 1])).select(1, Prompt.Length);
        for (int row = 0; row < 3; row++) Assert.True(TinyModels.MaxAbsDiff(next[row], alone[0]) <= 1e-4);
        Assert.Throws<InvalidOperationException>(() => three.Broadcast(2, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Broadcast(2, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.Broadcast(0, 12));
    }
}

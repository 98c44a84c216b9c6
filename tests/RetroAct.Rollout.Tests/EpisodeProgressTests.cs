namespace RetroAct.Rollout.Tests;

public sealed class EpisodeProgressTests
{
    [Fact]
    public void OneLinePerTenthAndOneForTheLastEpisode()
    {
        var lines = new List<string>();
        var progress = new EpisodeProgress(25, "evaluating imitation", lines.Add, TimeSpan.Zero);
        for (int finished = 1; finished <= 25; finished++) progress.Report(finished);

        Assert.Equal(9, lines.Count); // 3, 6, ..., 24, then 25
        Assert.StartsWith("evaluating imitation: 3/25 episodes, ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("evaluating imitation: 25/25 episodes, ", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith(" min", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void FewerEpisodesThanTenthsReportEachOne()
    {
        var lines = new List<string>();
        var progress = new EpisodeProgress(2, "collected", lines.Add, TimeSpan.Zero);
        progress.Report(1);
        progress.Report(2);
        Assert.Equal(["collected: 1/2", "collected: 2/2"], lines.Select(l => l[..l.IndexOf(" episodes", StringComparison.Ordinal)]));
    }

    [Fact]
    public void ABurstOfFinishedEpisodesGivesOneLineAndTheLast()
    {
        var lines = new List<string>();
        var progress = new EpisodeProgress(20, "evaluating rl-1", lines.Add, TimeSpan.FromMinutes(10));
        for (int finished = 1; finished <= 20; finished++) progress.Report(finished);
        // The first tenth is due at once (nothing printed yet); later tenths fall inside the interval; the last always prints.
        Assert.Equal(["evaluating rl-1: 2/20", "evaluating rl-1: 20/20"], lines.Select(l => l[..l.IndexOf(" episodes", StringComparison.Ordinal)]));
    }
}

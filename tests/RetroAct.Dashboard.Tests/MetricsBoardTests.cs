namespace RetroAct.Dashboard.Tests;

public class MetricsBoardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static BoardReport Report(string source, long step, double value, string node = "n1", string metric = "loss") =>
        new(node, source, step, T0.AddSeconds(step), new Dictionary<string, double> { [metric] = value });

    [Fact]
    public void It_keeps_the_latest_report_per_node_and_source_and_a_bounded_series_per_metric()
    {
        var board = new MetricsBoard(seriesLength: 3);
        for (int step = 1; step <= 5; step++) board.Add(Report("il", step, 10 - step));
        board.Add(Report("il", 1, 42, node: "n2"));

        var snapshot = board.Snapshot();
        Assert.Equal(6, snapshot.Reports);
        Assert.Equal(["n1", "n2"], snapshot.Latest.Select(r => r.Node));
        Assert.Equal(5, snapshot.Latest[0].Step);
        var series = Assert.Single(snapshot.Series, s => s.Node == "n1");
        Assert.Equal([3L, 4, 5], series.Points.Select(p => p.Step)); // the oldest two fell out
        Assert.Equal([7.0, 6, 5], series.Points.Select(p => p.Value));
    }

    [Fact]
    public void A_snapshot_is_a_copy_that_later_reports_do_not_change()
    {
        var board = new MetricsBoard();
        board.Add(Report("il", 1, 1));
        var before = board.Snapshot();
        board.Add(Report("il", 2, 2));
        Assert.Single(before.Series[0].Points);
        Assert.Equal(2, board.Snapshot().Series[0].Points.Count);
    }

    [Fact]
    public void It_refuses_new_sources_past_its_bound_and_counts_them()
    {
        var board = new MetricsBoard();
        for (int i = 0; i < MetricsBoard.MaxSources; i++) Assert.True(board.Add(Report($"source-{i}", 1, i)));
        Assert.False(board.Add(Report("one-too-many", 1, 0)));
        Assert.True(board.Add(Report("source-0", 2, 0))); // a known source still updates
        Assert.Equal(1, board.Refused);
        Assert.DoesNotContain(board.Snapshot().Latest, r => r.Source == "one-too-many");
    }

    [Fact]
    public async Task A_subscriber_receives_reports_and_member_changes_in_order()
    {
        var board = new MetricsBoard();
        using var subscription = board.Subscribe();
        board.Add(Report("eval", 1, 0.5, metric: "ir"));
        board.SetMembers([new BoardMember("b:2", ["rollout"], "Up"), new BoardMember("a:1", ["seed"], "Up")]);

        var first = await subscription.Events.ReadAsync();
        Assert.Equal("eval", Assert.IsType<BoardEvent.Report>(first).Value.Source);
        var second = Assert.IsType<BoardEvent.Members>(await subscription.Events.ReadAsync());
        Assert.Equal(["a:1", "b:2"], second.Value.Select(m => m.Address)); // sorted
        Assert.False(subscription.TakeOverflow());
    }

    [Fact]
    public void A_subscriber_that_falls_behind_is_told_so_instead_of_losing_reports_silently()
    {
        var board = new MetricsBoard(subscriberBuffer: 2);
        using var subscription = board.Subscribe();
        for (int step = 1; step <= 3; step++) board.Add(Report("il", step, step));
        Assert.True(subscription.TakeOverflow());
        Assert.False(subscription.TakeOverflow()); // taken: the reader has resynchronised from a snapshot
        Assert.Equal(3, board.Snapshot().Reports); // the board itself kept everything
    }

    [Fact]
    public void A_disposed_subscription_stops_receiving()
    {
        var board = new MetricsBoard();
        var subscription = board.Subscribe();
        Assert.Equal(1, board.Subscribers);
        subscription.Dispose();
        Assert.Equal(0, board.Subscribers);
        board.Add(Report("il", 1, 1));
        Assert.True(subscription.Events.Completion.IsCompleted);
    }
}

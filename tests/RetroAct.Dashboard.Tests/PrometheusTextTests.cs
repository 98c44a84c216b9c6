namespace RetroAct.Dashboard.Tests;

public class PrometheusTextTests
{
    [Fact]
    public void Each_source_and_metric_is_one_gauge_labelled_by_node()
    {
        var board = new MetricsBoard();
        var time = DateTimeOffset.UtcNow;
        board.Add(new BoardReport("akka.tcp://retroact@10.0.0.2:4055", "policy-server", 0, time,
            new Dictionary<string, double> { ["mean_batch_fill"] = 0.75, ["batches"] = 12 }));
        board.Add(new BoardReport("akka.tcp://retroact@10.0.0.3:4055", "policy-server", 0, time, new Dictionary<string, double> { ["batches"] = 7 }));
        board.SetMembers([new BoardMember("10.0.0.2:4055", ["rollout"], "Up"), new BoardMember("10.0.0.3:4055", ["rollout"], "Up")]);

        string text = PrometheusText.Format(board.Snapshot());
        var lines = text.Split('\n');
        Assert.Contains("# TYPE retroact_policy_server_batches gauge", lines);
        Assert.Contains("retroact_policy_server_batches{node=\"akka.tcp://retroact@10.0.0.2:4055\"} 12", lines);
        Assert.Contains("retroact_policy_server_batches{node=\"akka.tcp://retroact@10.0.0.3:4055\"} 7", lines);
        Assert.Contains("retroact_policy_server_mean_batch_fill{node=\"akka.tcp://retroact@10.0.0.2:4055\"} 0.75", lines);
        Assert.Contains("retroact_dashboard_reports_total 2", lines);
        Assert.Contains("retroact_cluster_members{status=\"Up\"} 2", lines);
        Assert.Equal(1, lines.Count(l => l == "# TYPE retroact_policy_server_batches gauge")); // one TYPE line per name
    }

    [Fact]
    public void Names_are_reduced_to_the_allowed_characters_and_labels_escaped()
    {
        Assert.Equal("rl_1_loss_il_", PrometheusText.Sanitize("rl-1.loss(il)"));
        var board = new MetricsBoard();
        board.Add(new BoardReport("a\"b\\c", "eval", 1, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["loss"] = double.NaN, ["big"] = double.PositiveInfinity }));
        string text = PrometheusText.Format(board.Snapshot());
        Assert.Contains("retroact_eval_loss{node=\"a\\\"b\\\\c\"} NaN\n", text);
        Assert.Contains("retroact_eval_big{node=\"a\\\"b\\\\c\"} +Inf\n", text);
    }
}

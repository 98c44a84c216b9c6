using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Dashboard.Tests;

public class MetricsViewTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Patience.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Outside_a_cluster_reports_told_to_it_go_to_the_board_under_the_local_node_with_their_step()
    {
        using var system = ActorSystem.Create("view-local", "akka.loglevel = WARNING");
        var board = new MetricsBoard();
        var view = system.ActorOf(MetricsView.Props(board));
        view.Tell(new MetricsReport("learner", DateTimeOffset.UtcNow, new Dictionary<string, double> { [MetricsHub.StepKey] = 7, ["loss"] = 1.5 }));

        await Eventually(() => board.Snapshot().Reports == 1, "the report reached the board");
        var report = Assert.Single(board.Snapshot().Latest);
        Assert.Equal(("local", "learner", 7L), (report.Node, report.Source, report.Step));
        Assert.Equal(["loss"], report.Values.Keys); // the step is the step, not a metric
    }

    private static ActorSystem ClusterNode(string name) => ActorSystem.Create("retroact", ConfigurationFactory.ParseString($$"""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.cluster.roles = [{{name}}]
        akka.cluster.pub-sub.role = ""
        """).WithFallback(ConfigurationFactory.ParseString(ClusterMessageSerializer.Hocon)));

    [Fact]
    public async Task In_a_real_two_node_cluster_it_shows_the_members_and_reports_published_on_another_node_under_that_node()
    {
        var dashboardNode = ClusterNode("dashboard");
        var rolloutNode = ClusterNode("rollout");
        try
        {
            var seed = Cluster.Get(dashboardNode).SelfAddress;
            Cluster.Get(dashboardNode).Join(seed);
            Cluster.Get(rolloutNode).Join(seed);
            var board = new MetricsBoard();
            dashboardNode.ActorOf(MetricsView.Props(board), "dashboard-view");

            await Eventually(() => board.Snapshot().Members.Count(m => m.Status == "Up") == 2, "both members are Up on the board");
            var members = board.Snapshot().Members;
            Assert.Contains(members, m => m.Roles.Contains("rollout") && m.Address == Cluster.Get(rolloutNode).SelfAddress.HostPort());

            // The rollout node's reports travel as its metrics publisher sends them: over the "metrics" topic, across TCP.
            var publisher = rolloutNode.ActorOf(MetricsTopicPublisher.Props(), "metrics-publisher");
            string rolloutAddress = Cluster.Get(rolloutNode).SelfAddress.HostPort();
            await Eventually(() =>
            {
                // the topic's subscription may take a gossip round to reach the other node: publish until it arrives
                publisher.Tell(new MetricsReport("policy-server", DateTimeOffset.UtcNow, new Dictionary<string, double> { ["batches"] = 5 }));
                Thread.Sleep(100);
                return board.Snapshot().Latest.Any(r => r.Source == "policy-server");
            }, "a report published on the rollout node reached the dashboard node's board");
            var report = board.Snapshot().Latest.First(r => r.Source == "policy-server");
            Assert.Equal(rolloutAddress, report.Node);
            Assert.Equal(5, report.Values["batches"]);

            // A member that leaves disappears from the view.
            await Cluster.Get(rolloutNode).LeaveAsync();
            await Eventually(() => board.Snapshot().Members.Count == 1, "the member that left is removed");
        }
        finally
        {
            await Task.WhenAll(rolloutNode.Terminate(), dashboardNode.Terminate()).WaitAsync(Patience);
        }
    }
}

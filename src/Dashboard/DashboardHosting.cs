using Akka.Actor;
using RetroAct.Learner.Runs;

namespace RetroAct.Dashboard;

/// <summary>The two ways a dashboard is fed: from one process's run directory, or from the cluster's metrics topic.</summary>
public static class DashboardHosting
{
    /// <summary>The node name reports of a one-process run are filed under.</summary>
    public const string LocalNode = "local";

    /// <summary>
    /// A dashboard over one process's run (<c>retroact train --dashboard-port P</c>): every line written to the run's
    /// metrics.jsonl — the imitation stage's and the actors' reports alike — goes to the board as it is written.
    /// Disposing the result stops the server and detaches from the run.
    /// </summary>
    public static async Task<RunningDashboard> StartForRunAsync(RunDirectory run, string host, int port, string runtime)
    {
        var board = new MetricsBoard();
        board.SetMembers([new BoardMember(LocalNode, [runtime == "serial" ? "serial driver" : "every role (one process)"], "Up")]);
        void OnMetrics(MetricsRecord r) => board.Add(new BoardReport(LocalNode, r.Stage, r.Step, r.Time, new Dictionary<string, double>(r.Values)));
        run.MetricsLogged += OnMetrics;
        try
        {
            var server = await DashboardServer.StartAsync(board, host, port).ConfigureAwait(false);
            return new RunningDashboard(board, server, () => run.MetricsLogged -= OnMetrics);
        }
        catch
        {
            run.MetricsLogged -= OnMetrics;
            throw;
        }
    }

    /// <summary>
    /// The dashboard role of a cluster node: a <see cref="MetricsView"/> on the metrics topic and the membership
    /// events, and the web server. Disposing the result stops both.
    /// </summary>
    public static async Task<RunningDashboard> StartForClusterAsync(ActorSystem system, string host, int port)
    {
        var board = new MetricsBoard();
        var view = system.ActorOf(MetricsView.Props(board), "dashboard-view");
        try
        {
            var server = await DashboardServer.StartAsync(board, host, port).ConfigureAwait(false);
            return new RunningDashboard(board, server, () => view.Tell(PoisonPill.Instance));
        }
        catch
        {
            view.Tell(PoisonPill.Instance);
            throw;
        }
    }
}

/// <summary>A started dashboard: its board, its address, and how to stop it.</summary>
public sealed class RunningDashboard(MetricsBoard board, DashboardServer server, Action detach) : IAsyncDisposable
{
    public MetricsBoard Board => board;

    public string Url => server.Url;

    public async ValueTask DisposeAsync()
    {
        detach();
        await server.DisposeAsync().ConfigureAwait(false);
    }
}

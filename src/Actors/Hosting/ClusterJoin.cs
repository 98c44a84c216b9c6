using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;

namespace RetroAct.Actors.Hosting;

/// <summary>A node stopped before it became a cluster member: no seed answered within the join timeout, or its actor system shut down.</summary>
public sealed class ClusterJoinFailedException(string message) : Exception(message);

/// <summary>
/// Joining the cluster visibly: while a node is not yet a member it says every <see cref="ReportEvery"/> which seeds
/// it is trying, and when the join timeout passes it stops with an error naming them. The timeout itself is Akka's
/// <c>akka.cluster.shutdown-after-unsuccessful-join-seed-nodes</c>: Akka gives up and runs CoordinatedShutdown,
/// so the actor system has already shut down cleanly when the error is raised.
/// </summary>
public static class ClusterJoin
{
    /// <summary>How often a node that has not joined yet says so.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    /// <summary>The join timeout when none is given (<c>node --join-timeout</c>).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Akka's setting for a join timeout; none: Akka's default (keep trying forever).</summary>
    public static string Hocon(TimeSpan? timeout) => timeout is { } t
        ? "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = " +
          ((long)Math.Ceiling(t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms"
        : "";

    /// <summary>
    /// Waits until this node is an Up member of the cluster, reporting every <see cref="ReportEvery"/> while it is not.
    /// Throws <see cref="ClusterJoinFailedException"/> when Akka gave up joining (the system has shut down),
    /// <see cref="OperationCanceledException"/> when <paramref name="stop"/> fires first.
    /// </summary>
    public static async Task AwaitMemberUp(ActorSystem system, NodeOptions node, Action<string> report, CancellationToken stop)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        var clock = Stopwatch.StartNew();
        string seeds = string.Join(", ", node.Seeds);
        string limit = node.JoinTimeout is { } t ? $"gives up after {Seconds(t)} s (--join-timeout)" : "waits forever (--join-timeout 0)";
        while (true)
        {
            var tick = Task.Delay(ReportEvery, stop);
            var done = await Task.WhenAny(up.Task, system.WhenTerminated, tick).ConfigureAwait(false);
            if (done == up.Task)
            {
                report($"joined the cluster as {cluster.SelfAddress} after {Seconds(clock.Elapsed)} s");
                return;
            }
            stop.ThrowIfCancellationRequested();
            if (done == system.WhenTerminated)
            {
                var reason = CoordinatedShutdown.Get(system).ShutdownReason;
                if (reason is CoordinatedShutdown.ClusterJoinUnsuccessfulReason)
                    throw new ClusterJoinFailedException(
                        $"node {cluster.SelfAddress} could not join the cluster: no seed answered within " +
                        $"--join-timeout {Seconds(node.JoinTimeout ?? clock.Elapsed)} s (seeds: {seeds}); check that a seed node runs there and " +
                        "that --seeds names its --host/--public-host and --port");
                throw new ClusterJoinFailedException(
                    $"node {cluster.SelfAddress} shut down before it joined the cluster " +
                    $"(reason: {reason?.GetType().Name ?? "unknown"}; seeds: {seeds})");
            }
            // Before a seed answers Akka shows this node as Removed; once one has, Joining (or WeaklyUp) until the leader moves it Up.
            var status = cluster.SelfMember.Status;
            string progress = status == MemberStatus.Removed ? "no seed has answered" : $"status {status}, waiting to be Up";
            report($"not a cluster member yet after {Seconds(clock.Elapsed)} s ({progress}): trying seeds {seeds}; {limit}");
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}

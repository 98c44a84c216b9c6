using System.CommandLine;
using System.Globalization;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Training;
using RetroAct.Dashboard;

namespace RetroAct.Cli.Commands;

/// <summary>
/// <c>retroact node</c>: one process of a training cluster (ARCHITECTURE.md §2). Nodes of one run share the training
/// options and the run directory (the learner writes the imitation checkpoint there; rollout nodes start from it).
/// SIGTERM or Ctrl-C leaves the cluster gracefully.
/// </summary>
public static class NodeCommand
{
    /// <summary>The seed port when none is given.</summary>
    public const int DefaultSeedPort = 4053;

    /// <summary>The dashboard role's HTTP port when none is given.</summary>
    public const int DefaultDashboardPort = 8080;

    public static Command Create()
    {
        var training = new TrainingOptionSet();
        var roles = new Option<string>("--roles") { Description = $"Comma-separated roles: {string.Join(", ", ActorRoles.All)}.", Required = true };
        var host = new Option<string>("--host") { Description = "Address to bind.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to bind (0: any free port).", DefaultValueFactory = _ => 0 };
        var publicHost = new Option<string?>("--public-host") { Description = "Address other nodes reach this one at (default: --host)." };
        var seeds = new Option<string?>("--seeds")
        {
            Description = $"Comma-separated seed addresses (default: akka.tcp://{RetroActAkka.SystemName}@127.0.0.1:{DefaultSeedPort}).",
        };

        var resume = new Option<bool>("--resume")
        {
            Description = "Learner node: continue the run in --run-dir from its latest checkpoint (checkpoints/latest.txt) at the next policy " +
                          "version instead of running the imitation stage; the replay role re-reads its write-ahead log either way.",
        };
        var downAfter = new Option<double?>("--down-after")
        {
            Description = "Seconds a member may stay unreachable before the split-brain resolver downs it (default: Akka's 20).",
        };

        var joinTimeout = new Option<double>("--join-timeout")
        {
            Description = "Seconds a node may try its seeds, once its actor system has started, before it gives up with an error (exit code 2); " +
                          "0: wait forever.",
            DefaultValueFactory = _ => ClusterJoin.DefaultTimeout.TotalSeconds,
        };

        var weightsPort = new Option<int?>("--weights-port")
        {
            Description = $"Learner node with weight transport tcp or grpc: port of its weight server (0: any free port; default: --port + " +
                          $"{NodeOptions.WeightsPortOffset}, or any free port when --port is 0). Rollout nodes learn it from the announcements.",
        };

        var dashboardPort = new Option<int>("--dashboard-port")
        {
            Description = $"Node with the dashboard role: HTTP port of the dashboard (web page, /api/snapshot, /api/events, /metrics), bound on --host " +
                          $"(0: any free port).",
            DefaultValueFactory = _ => DefaultDashboardPort,
        };

        var command = new Command("node", "Run one node of a training cluster with the given roles.");
        training.AddTo(command);
        foreach (Option option in new Option[] { roles, host, port, publicHost, seeds, resume, downAfter, joinTimeout, weightsPort, dashboardPort })
            command.Options.Add(option);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            var node = new NodeOptions(
                Split(parse.GetValue(roles)!),
                parse.GetValue(host)!,
                parse.GetValue(port),
                parse.GetValue(publicHost),
                Split(parse.GetValue(seeds) ?? $"akka.tcp://{RetroActAkka.SystemName}@127.0.0.1:{DefaultSeedPort.ToString(CultureInfo.InvariantCulture)}"),
                parse.GetValue(downAfter) is { } seconds && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : null,
                JoinTimeout(parse.GetValue(joinTimeout)),
                parse.GetValue(weightsPort));
            var problems = node.Validate().ToList();
            if (parse.GetValue(downAfter) is { } d && !double.IsFinite(d)) problems.Add($"--down-after {d}: allowed: 1..3600 seconds");
            if (parse.GetValue(joinTimeout) is var j && (!double.IsFinite(j) || j < 0))
                problems.Add($"--join-timeout {j.ToString(CultureInfo.InvariantCulture)}: allowed: 1..86400 seconds, or 0 to wait forever");
            if (parse.GetValue(dashboardPort) is < 0 or > 65535 && node.Roles.Contains(ActorRoles.Dashboard))
                problems.Add($"--dashboard-port {parse.GetValue(dashboardPort)}: allowed: 0..65535 (0: any free port)");
            if (parse.GetValue(resume) && !node.Roles.Contains(ActorRoles.Learner))
                problems.Add($"--resume: only a node with the learner role resumes (roles: {string.Join(",", node.Roles)})");
            if (problems.Count > 0) throw new CliUsageException(string.Join("; ", problems));
            using var stop = new CancellationTokenSource();
            // SIGTERM (docker stop, cluster down) and Ctrl-C stop the node; the runtime then leaves the cluster.
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            ConsoleCancelEventHandler onCtrlC = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCtrlC;
            try
            {
                return RunNode(parse, training, node, parse.GetValue(resume), parse.GetValue(dashboardPort), stop.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCtrlC;
            }
        }));
        return command;
    }

    private static int RunNode(ParseResult parse, TrainingOptionSet training, NodeOptions node, bool resume, int dashboardPort, CancellationToken stop)
    {
        var started = DateTime.UtcNow;
        string label = string.Join(",", node.Roles);
        Action<string> report = line => Console.Error.WriteLine($"[{DateTime.UtcNow - started:hh\\:mm\\:ss}] [{label}] {line}");
        Func<Akka.Actor.ActorSystem, Task<IAsyncDisposable>>? dashboard = node.Roles.Contains(ActorRoles.Dashboard)
            ? async system =>
            {
                var running = await DashboardHosting.StartForClusterAsync(system, node.Host, dashboardPort);
                report($"dashboard: {running.Url}");
                return running;
            }
            : null;
        if (node.Roles.All(ActorRoles.WithoutTraining.Contains))
        {
            ClusterNodeRuntime.RunWithoutTrainingAsync(node, report, stop, dashboard).GetAwaiter().GetResult();
            return 0;
        }

        var actorOptions = training.ActorOptions(parse) with { Resume = resume };
        var (resolved, presetName) = training.Resolve(parse);
        if (parse.GetValue(training.RunDir) is null)
            throw new CliUsageException("--run-dir is required for a node with a learner, replay or rollout role: the nodes of a run share it");

        using var run = training.OpenRun(parse, resolved, presetName);
        if (node.Roles.Contains(ActorRoles.Learner)) run.WriteConfig(resolved);
        var suite = TrainingSuites.Create(resolved);
        using var disposeSuite = suite as IDisposable;
        var results = new ClusterNodeRuntime(node, resolved, suite, run, actorOptions, report) { Dashboard = dashboard }.RunAsync(stop).GetAwaiter().GetResult();
        if (results is not null) TrainCommand.PrintResults(results, run.Path);
        return 0;
    }

    // 0 waits forever; what NodeOptions cannot hold (negative, NaN) is reported by the caller, not turned into a TimeSpan.
    private static TimeSpan? JoinTimeout(double seconds) =>
        seconds > 0 && double.IsFinite(seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2)) : null;

    internal static IReadOnlyList<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

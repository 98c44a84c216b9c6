using System.CommandLine;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Cluster;
using RetroAct.Cli.Training;
using static RetroAct.Cli.Cluster.LocalClusterLauncher;

namespace RetroAct.Cli.Commands;

/// <summary>
/// <c>retroact cluster up | down | status</c>: a training cluster as local processes on 127.0.0.1, for machines without
/// Docker: a seed, a learner node (learner + replay roles) and N rollout nodes, all sharing one run directory.
/// </summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "State file listing the started processes.", DefaultValueFactory = _ => LocalClusterState.DefaultPath };
        var cluster = new Command("cluster", "Start, inspect or stop a local training cluster (processes on 127.0.0.1).");
        cluster.Subcommands.Add(Up(state));
        cluster.Subcommands.Add(Status(state));
        cluster.Subcommands.Add(Down(state));
        return cluster;
    }

    private static Command Up(Option<string> state)
    {
        var training = new TrainingOptionSet();
        var rolloutNodes = new Option<int>("--rollout-nodes") { Description = "N: rollout nodes.", Required = true };
        var workersPerNode = new Option<int?>("--workers-per-node") { Description = "K: rollout workers per node (same as --workers)." };
        var basePort = new Option<int>("--base-port") { Description = "Seed port; the learner takes the next (its gRPC weight server that port + 1000), rollout nodes the ones after.", DefaultValueFactory = _ => NodeCommand.DefaultSeedPort };
        var dashboardPort = new Option<int>("--dashboard-port")
        {
            Description = "HTTP port of the dashboard, which runs on the seed node (the dashboard role).",
            DefaultValueFactory = _ => NodeCommand.DefaultDashboardPort,
        };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Start the seed node without the dashboard role." };
        var up = new Command("up", "Start a seed (with the dashboard role), a learner (with the replay role) and N rollout nodes.");
        training.AddTo(up);
        foreach (Option option in new Option[] { state, rolloutNodes, workersPerNode, basePort, dashboardPort, noDashboard }) up.Options.Add(option);
        up.SetAction(parse => CliRun.Guard(() =>
        {
            string statePath = parse.GetValue(state)!;
            if (LocalClusterState.Load(statePath) is { } running && running.Nodes.Any(n => IsAlive(n.Pid)))
                throw new CliUsageException($"a cluster started from here is still running ({statePath}); run `retroact cluster down` first");
            int n = parse.GetValue(rolloutNodes);
            if (n < 1) throw new CliUsageException($"--rollout-nodes {n}: allowed: ≥ 1");
            int dashboard = parse.GetValue(dashboardPort);
            bool withDashboard = !parse.GetValue(noDashboard);
            if (withDashboard && dashboard is < 1 or > 65535) throw new CliUsageException($"--dashboard-port {dashboard}: allowed: 1..65535 (or --no-dashboard)");
            var (resolved, presetName) = training.Resolve(parse); // fail here, not in N processes
            string runDir = parse.GetValue(training.RunDir)
                            ?? Path.Combine(resolved.RunRoot, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{resolved.Env}-{resolved.Algo}-{presetName}-cluster");
            runDir = Path.GetFullPath(runDir);
            int port = parse.GetValue(basePort);
            string seed = $"akka.tcp://{RetroActAkka.SystemName}@127.0.0.1:{Text(port)}";
            var passOn = training.PassOn(parse).Where(a => !a.StartsWith("--run-dir", StringComparison.Ordinal)).ToList();
            if (parse.GetValue(workersPerNode) is { } k) passOn.Add($"--workers={Text(k)}");

            var nodes = new List<LocalNode>();
            void Launch(string name, string roles, int nodePort, bool trains, IEnumerable<string>? more = null)
            {
                var arguments = new List<string> { "node", "--roles", roles, "--host", "127.0.0.1", "--port", Text(nodePort), "--seeds", seed };
                arguments.AddRange(more ?? []);
                if (trains) arguments.AddRange(["--run-dir", runDir, .. passOn]);
                string log = Path.Combine(runDir, "logs", $"{name}.log");
                nodes.Add(new LocalNode(name, roles, nodePort, Start(arguments, log), log));
            }
            if (withDashboard)
                Launch("seed", $"{ActorRoles.Seed},{ActorRoles.Dashboard}", port, trains: false, ["--dashboard-port", Text(dashboard)]);
            else
                Launch("seed", ActorRoles.Seed, port, trains: false);
            Launch("learner", $"{ActorRoles.Learner},{ActorRoles.Replay}", port + 1, trains: true);
            for (int i = 0; i < n; i++) Launch($"rollout-{i + 1}", ActorRoles.Rollout, port + 2 + i, trains: true);
            new LocalClusterState(runDir, nodes).Save(statePath);
            foreach (var node in nodes) Console.WriteLine($"{node.Name,-10} pid {node.Pid,-7} port {node.Port}  roles {node.Roles}  log {node.Log}");
            Console.WriteLine($"run directory: {runDir}");
            if (withDashboard) Console.WriteLine($"dashboard: http://127.0.0.1:{Text(dashboard)}/");
            return 0;
        }));
        return up;
    }

    private static Command Status(Option<string> state)
    {
        var status = new Command("status", "Show the processes of the local cluster and whether each is running.");
        status.Options.Add(state);
        status.SetAction(parse => CliRun.Guard(() =>
        {
            var cluster = LocalClusterState.Load(parse.GetValue(state)!);
            if (cluster is null)
            {
                Console.WriteLine("no local cluster started from here");
                return 0;
            }
            foreach (var node in cluster.Nodes)
                Console.WriteLine($"{node.Name,-10} pid {node.Pid,-7} port {node.Port}  {(IsAlive(node.Pid) ? "running" : "exited"),-8} roles {node.Roles}  log {node.Log}");
            Console.WriteLine($"run directory: {cluster.RunDir}");
            return 0;
        }));
        return status;
    }

    private static Command Down(Option<string> state)
    {
        var grace = new Option<int>("--grace-seconds") { Description = "How long each node may take to leave before it is killed.", DefaultValueFactory = _ => 20 };
        var down = new Command("down", "Stop the local cluster: SIGTERM (graceful leave), then kill what has not exited.");
        down.Options.Add(state);
        down.Options.Add(grace);
        down.SetAction(parse => CliRun.Guard(() =>
        {
            string statePath = parse.GetValue(state)!;
            var cluster = LocalClusterState.Load(statePath);
            if (cluster is null)
            {
                Console.WriteLine("no local cluster started from here");
                return 0;
            }
            // Rollout nodes first, the seed last, so the others can still leave through it.
            foreach (var node in cluster.Nodes.AsEnumerable().Reverse())
            {
                bool graceful = Stop(node.Pid, TimeSpan.FromSeconds(parse.GetValue(grace)));
                Console.WriteLine($"{node.Name,-10} pid {node.Pid,-7} {(graceful ? "stopped" : "killed after the grace period")}");
            }
            File.Delete(statePath);
            return 0;
        }));
        return down;
    }
}

using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;
using RetroAct.Actors.Weights;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;

namespace RetroAct.Actors.Hosting;

/// <summary>Where a node listens and whom it joins.</summary>
/// <param name="Seeds">Seed node addresses, e.g. akka.tcp://retroact@127.0.0.1:4053.</param>
/// <param name="DownAfter">
/// How long a member must stay unreachable before the split-brain resolver (keep-majority) downs it, so its
/// singletons move and its leases are settled; null: Akka's default (20 s).
/// </param>
/// <param name="JoinTimeout">
/// How long a node whose actor system has started may try the seeds before it gives up and stops with an error; null: forever.
/// </param>
/// <param name="WeightsPort">
/// Where a learner node's gRPC weight transfer server listens (0: any free port); null: <see cref="Port"/> +
/// <see cref="WeightsPortOffset"/> (0 when <see cref="Port"/> is 0).
/// </param>
public sealed record NodeOptions(IReadOnlyList<string> Roles, string Host, int Port, string? PublicHost, IReadOnlyList<string> Seeds,
                                 TimeSpan? DownAfter = null, TimeSpan? JoinTimeout = null, int? WeightsPort = null)
{
    /// <summary>
    /// The default weights port is the Akka port plus this: not + 1, because local clusters (cluster up, the tests)
    /// give their nodes consecutive Akka ports.
    /// </summary>
    public const int WeightsPortOffset = 1000;

    /// <summary>The port the learner node's weight transfer server binds (0: any free port).</summary>
    public int EffectiveWeightsPort => WeightsPort ?? (Port == 0 ? 0 : Port + WeightsPortOffset);

    /// <summary>Problems with these settings, each naming the option.</summary>
    public IEnumerable<string> Validate()
    {
        if (Roles.Count == 0) yield return "--roles is empty; allowed: " + string.Join(", ", ActorRoles.All);
        foreach (var role in Roles.Where(r => !ActorRoles.All.Contains(r)))
            yield return $"--roles '{role}': allowed: {string.Join(", ", ActorRoles.All)}";
        if (Port is < 0 or > 65535) yield return $"--port {Port}: allowed: 0..65535";
        if (WeightsPort is < 0 or > 65535) yield return $"--weights-port {WeightsPort}: allowed: 0..65535";
        else if (WeightsPort is null && Port + WeightsPortOffset > 65535)
            yield return $"--port {Port}: the default weights port (--port + {WeightsPortOffset}) is over 65535; give --weights-port";
        if (Seeds.Count == 0) yield return "--seeds is empty: give at least one seed address, e.g. akka.tcp://retroact@127.0.0.1:4053";
        foreach (var seed in Seeds.Where(s => !s.StartsWith($"akka.tcp://{RetroActAkka.SystemName}@", StringComparison.Ordinal)))
            yield return $"--seeds '{seed}': expected akka.tcp://{RetroActAkka.SystemName}@HOST:PORT";
        if (DownAfter is { } after && (after < TimeSpan.FromSeconds(1) || after > TimeSpan.FromHours(1)))
            yield return $"--down-after {after.TotalSeconds} s: allowed: 1..3600 seconds";
        if (JoinTimeout is { } join && (join < TimeSpan.FromSeconds(1) || join > TimeSpan.FromDays(1)))
            yield return $"--join-timeout {join.TotalSeconds}: allowed: 1..86400 seconds, or 0 to wait forever";
    }

    /// <summary>This node's folder name in the run directory (nodes/HOST-PORT).</summary>
    public string Name => RolloutJournal.NodeName(PublicHost ?? Host, Port);
}

/// <summary>
/// <c>retroact node</c>: one process of a real Akka.Cluster. The learner role runs the imitation stage first (into
/// the shared run directory), then hosts the Learner, TaskDispatcher and WeightStore as cluster singletons (all on
/// the oldest learner node, so the learner's local weight hand-over never crosses the network) and the MetricsHub;
/// the replay role hosts the ReplayBuffer singleton; a rollout node waits for the imitation checkpoint in the run
/// directory, then runs a RolloutNode that reaches the singletons through proxies. Announcements and metrics travel
/// on DistributedPubSub topics. With weight transport tcp (the default) or grpc a learner node also runs a weight
/// server (<see cref="WeightSocketServer"/>, <see cref="WeightTransferServer"/>) on <see cref="NodeOptions.EffectiveWeightsPort"/>, and its WeightStore names it
/// in every announcement. SIGTERM (or Ctrl-C) leaves the cluster gracefully through CoordinatedShutdown.
/// </summary>
public sealed class ClusterNodeRuntime(NodeOptions node, TrainingConfig config, ITrainingSuite suite, RunDirectory run, ActorRuntimeOptions options,
                                       Action<string> report)
{
    /// <summary>How long a learner node keeps serving its last weight version after training ends, before it leaves.</summary>
    public static readonly TimeSpan FinalWeightsGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Started once the node's ActorSystem runs, and disposed when the node stops: the dashboard role's view and web
    /// server (src/Dashboard, a layer above this one, supplies it). Null: the node has no dashboard.
    /// </summary>
    public Func<ActorSystem, Task<IAsyncDisposable>>? Dashboard { get; init; }

    /// <summary>Runs the node until <paramref name="stop"/> fires or, on a learner node, until training finishes; returns the learner's results (else null).</summary>
    public async Task<IReadOnlyList<StageResult>?> RunAsync(CancellationToken stop)
    {
        var problems = node.Validate().Concat(options.Validate()).ToList();
        bool isLearner = node.Roles.Contains(ActorRoles.Learner);
        if (options.Resume && !isLearner) problems.Add($"--resume: only a node with the learner role resumes (roles: {string.Join(",", node.Roles)})");
        if (!WeightTransports.TryParse(config.Cluster.WeightTransport, out var transport))
            problems.Add($"Cluster:WeightTransport = '{config.Cluster.WeightTransport}'; allowed: {string.Join(", ", WeightTransports.Names)}");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        var runtime = options with { PolicyServer = options.PolicyServer with { WeightTransport = transport } };
        if (isLearner && node.Roles.Contains(ActorRoles.Rollout)) runtime = runtime.WithLearnerOnTheComputeThread();
        var parts = new TrainingParts(config, suite, run, runtime, report);
        var finished = new TaskCompletionSource<IReadOnlyList<StageResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        LearnerSetup? learner = null;
        if (isLearner && options.Resume)
        {
            if (!parts.HasRlStage) throw new ArgumentException($"--resume: algorithm '{config.Algo}' with {config.Rl.Iterations} RL iterations has no RL stage to resume");
            learner = ThreadOfItsOwn.Run("retroact-resume", () => parts.ResumeLearner(finished));
        }
        else if (isLearner)
        {
            // On a thread that ends before the actors start, as in the embedded runtime (ComputeDispatcher says why).
            // SIGTERM during it stops it between two steps: no cluster has been joined yet, so there is nothing to leave.
            try
            {
                var (imitation, setUp) = ThreadOfItsOwn.Run("retroact-imitation", () => parts.ImitationAndLearner(finished, stop));
                if (setUp is null) return imitation;
                learner = setUp;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                report("stopped during the imitation stage; no imitation checkpoint was written (a restart runs the stage again)");
                return null;
            }
        }
        if (learner is not null) learner = learner with { Stopping = stop }; // SIGTERM ends an evaluation under way, so the node leaves soon
        using var journal = node.Roles.Contains(ActorRoles.Rollout) ? new RolloutJournal(RolloutJournal.Folder(run.Path, node.Name)) : null;
        await using var weightServer = isLearner ? await StartWeightServer(transport) : null;
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(RetroActAkka.SystemName, akka => Configure(akka, parts, learner, weightServer?.Weights)))
            .Build();
        await host.StartAsync(stop);
        var system = host.Services.GetRequiredService<ActorSystem>();
        report($"node {ClusterAwareness.NodeAddress(system)} started with roles {string.Join(",", node.Roles)}; joining through seeds {string.Join(", ", node.Seeds)}");
        await using var dashboard = Dashboard is null ? null : await Dashboard(system);
        if (weightServer is not null) report($"weight versions are served at {weightServer.Endpoint} (Cluster:WeightTransport = {WeightTransports.Name(transport)})");
        try
        {
            await ClusterJoin.AwaitMemberUp(system, node, report, stop);
            if (node.Roles.Contains(ActorRoles.Rollout))
            {
                // A rollout node joins before it waits for the learner's imitation checkpoint, so a wrong or dead seed
                // shows at once instead of after the learner's imitation stage.
                await WaitForCheckpoint(parts.ImitationCheckpoint, stop);
                var registry = host.Services.GetRequiredService<ActorRegistry>();
                system.ActorOf(RolloutNode.Props(parts.Rollout(journal), parts.PolicyBackend(), new RolloutPeers(
                    registry.Get<TaskDispatcher>(), registry.Get<ReplayBuffer>(), registry.Get<WeightStore>(), registry.Get<MetricsTopicPublisher>())),
                    ActorRoles.RolloutName);
            }
            var stopped = Task.Delay(Timeout.Infinite, stop);
            var done = await Task.WhenAny(finished.Task, stopped);
            if (done != finished.Task) return null;
            var results = await finished.Task;
            // The last version was announced just before the final evaluation; keep serving it a moment so every
            // rollout node finishes its pull before the WeightStore leaves with this node.
            await Task.WhenAny(Task.Delay(FinalWeightsGrace, CancellationToken.None), stopped);
            return results;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        finally
        {
            // Leaves the cluster through CoordinatedShutdown (the singletons hand over, the others see a clean exit).
            await host.StopAsync(CancellationToken.None);
            if (learner is not null && !finished.Task.IsCompleted) finished.TrySetCanceled();
        }
    }

    private async Task<IWeightServer?> StartWeightServer(WeightTransport transport)
    {
        try
        {
            return await WeightServers.StartAsync(transport, node.Host, node.EffectiveWeightsPort, node.PublicHost, report);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"--weights-port {node.EffectiveWeightsPort}: the learner's weight server cannot listen on {node.Host} " +
                                        $"({e.Message}); give another --weights-port, or --set Cluster:WeightTransport=akka", e);
        }
    }

    // The rollout role's actors are not here: they start once the node has joined and the imitation checkpoint exists.
    private void Configure(AkkaConfigurationBuilder akka, TrainingParts parts, LearnerSetup? learnerSetup, ServedWeights? served)
    {
        bool Has(string role) => node.Roles.Contains(role);
        var learnerSingleton = new ClusterSingletonOptions { Role = ActorRoles.Learner };
        var replaySingleton = new ClusterSingletonOptions { Role = ActorRoles.Replay };
        JoinCluster(akka, node)
            .WithActors((system, registry) => registry.Register<MetricsTopicPublisher>(system.ActorOf(MetricsTopicPublisher.Props(), "metrics-publisher")));

        if (Has(ActorRoles.Replay))
            akka.WithSingleton<ReplayBuffer>(ActorRoles.ReplayName,
                (_, registry, _) => ReplayBuffer.Props(parts.Replay(), registry.Get<MetricsTopicPublisher>(), options.ReportEvery), replaySingleton);
        else
            akka.WithSingletonProxy<ReplayBuffer>(ActorRoles.ReplayName, replaySingleton);

        if (Has(ActorRoles.Learner))
        {
            akka.WithSingleton<TaskDispatcher>(ActorRoles.DispatcherName, (_, registry, _) =>
                    TaskDispatcher.Props(options.Leases, metrics: registry.Get<MetricsTopicPublisher>(), reportEvery: options.ReportEvery), learnerSingleton)
                .WithSingleton<WeightStore>(ActorRoles.WeightsName, WeightStore.Props(served: served), learnerSingleton)
                .WithActors((system, registry) => registry.Register<MetricsHub>(system.ActorOf(MetricsHub.Props(run), ActorRoles.MetricsName)))
                .WithSingleton<LearnerActor>(ActorRoles.LearnerName, (_, registry, _) => LearnerActor.Props(learnerSetup!, new LearnerPeers(
                    registry.Get<ReplayBuffer>(), registry.Get<TaskDispatcher>(), registry.Get<WeightStore>(), registry.Get<MetricsTopicPublisher>()))
                    .WithDispatcher(ComputeDispatcher.Id), learnerSingleton);
        }
        else
        {
            akka.WithSingletonProxy<TaskDispatcher>(ActorRoles.DispatcherName, learnerSingleton)
                .WithSingletonProxy<WeightStore>(ActorRoles.WeightsName, learnerSingleton);
        }
    }

    /// <summary>
    /// A node whose roles need no training configuration or run directory (<see cref="ActorRoles.WithoutTraining"/>):
    /// a seed (a stable contact point) and/or a dashboard (<paramref name="dashboard"/>).
    /// </summary>
    public static async Task RunWithoutTrainingAsync(NodeOptions node, Action<string> report, CancellationToken stop,
                                                     Func<ActorSystem, Task<IAsyncDisposable>>? dashboard = null)
    {
        var problems = node.Validate().ToList();
        if (node.Roles.Any(r => !ActorRoles.WithoutTraining.Contains(r)))
            problems.Add($"roles {string.Join(",", node.Roles)}: this node runs only {string.Join(" and ", ActorRoles.WithoutTraining)}");
        if (node.Roles.Contains(ActorRoles.Dashboard) != dashboard is not null)
            problems.Add(dashboard is null ? "the dashboard role needs a dashboard to start" : "a dashboard was given to a node without the dashboard role");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka(RetroActAkka.SystemName, akka => JoinCluster(akka, node)))
            .Build();
        await host.StartAsync(stop);
        var system = host.Services.GetRequiredService<ActorSystem>();
        report($"{string.Join(",", node.Roles)} node {ClusterAwareness.NodeAddress(system)} started; joining through seeds {string.Join(", ", node.Seeds)}");
        await using var view = dashboard is null ? null : await dashboard(system);
        try
        {
            await ClusterJoin.AwaitMemberUp(system, node, report, stop);
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // asked to stop
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    // Remoting on the node's address with the default frame size, cluster membership, pub-sub on every node.
    // Downing: Akka's split-brain resolver (keep-majority) downs a member unreachable for DownAfter; a node restarted
    // on the same address is a new incarnation, and the cluster removes the old one when it joins.
    // Joining: Akka gives up after JoinTimeout without a seed's answer and shuts the system down (ClusterJoin).
    private static AkkaConfigurationBuilder JoinCluster(AkkaConfigurationBuilder akka, NodeOptions node)
    {
        akka.WithRetroActDefaults()
            .WithRemoting(node.Host, node.Port, node.PublicHost)
            .WithClustering(new ClusterOptions { Roles = [.. node.Roles], SeedNodes = [.. node.Seeds] })
            .WithDistributedPubSub(role: ""); // every node: the weights and metrics topics
        if (node.DownAfter is { } after)
            akka.AddHocon(Akka.Configuration.ConfigurationFactory.ParseString(
                $"akka.cluster.split-brain-resolver.stable-after = {((int)Math.Ceiling(after.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)}ms"),
                HoconAddMode.Prepend);
        if (node.JoinTimeout is not null)
            akka.AddHocon(Akka.Configuration.ConfigurationFactory.ParseString(ClusterJoin.Hocon(node.JoinTimeout)), HoconAddMode.Prepend);
        return akka;
    }

    // Rollout nodes start from the learner's imitation checkpoint, which the learner node writes to the shared run directory.
    private async Task WaitForCheckpoint(string checkpoint, CancellationToken stop)
    {
        string marker = Path.Combine(checkpoint, AgentCheckpoint.InfoFile);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        for (int checks = 0; !File.Exists(marker); checks++)
        {
            if (checks % 30 == 0) // about every 30 s
                report($"waiting for the imitation checkpoint {checkpoint} (written by the learner node once its imitation stage ends; {waited.Elapsed.TotalSeconds:F0} s so far)");
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
        }
        await Task.Delay(TimeSpan.FromSeconds(1), stop); // agent.json is written last; give the file system a moment
    }
}

using System.Diagnostics;
using Akka.Actor;
using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;
using RetroAct.Actors.Weights;
using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Actors.Benchmarks;

/// <summary>Settings of <see cref="ActorOverheadBenchmark"/>.</summary>
/// <param name="Workers">Rollout workers (actor path).</param>
/// <param name="EnvironmentsPerWorker">Episodes each worker plays at once; the serial path plays Workers × this many in lock step.</param>
/// <param name="WarmUpEpisodes">Episodes played (untimed) before each measurement: JIT, environment caches, the log file.</param>
/// <param name="MaxWait">The PolicyServer's max wait.</param>
/// <param name="MaxBatch">The PolicyServer's max batch; null: <see cref="ConcurrentEpisodes"/>, the most requests that can wait at once.</param>
/// <param name="Rounds">Rounds of (serial, actors), each with its own warm-up; the ratio is their median.</param>
/// <param name="Threads">Where the actor path's workers run (the runtime's default for household: the compute thread).</param>
public sealed record ActorOverheadSettings(int Workers, int EnvironmentsPerWorker, int WarmUpEpisodes, MultiTrialOptions Options, PlannerPrompt PlannerPrompt,
                                           ReflectorPrompt ReflectorPrompt, TimeSpan MaxWait, int? MaxBatch = null, int Rounds = 1,
                                           WorkerThreads Threads = WorkerThreads.Compute)
{
    /// <summary>Episodes played at once by either path.</summary>
    public int ConcurrentEpisodes => Workers * EnvironmentsPerWorker;

    public int ServerMaxBatch => MaxBatch ?? ConcurrentEpisodes;
}

/// <summary>
/// Episodes, environment steps and seconds of one path; <paramref name="MeanBatch"/>: requests per policy call (warm-up
/// included); <paramref name="Memory"/>: what the process allocated and collected while the path ran (every thread).
/// </summary>
public sealed record RolloutRun(long Episodes, long Steps, double Seconds, double MeanBatch, GcActivity Memory)
{
    public double StepsPerSecond => Steps / Seconds;

    /// <summary>Bytes allocated per environment step.</summary>
    public double BytesPerStep => (double)Memory.AllocatedBytes / Steps;
}

/// <summary>One round: both paths over the same episodes, one after the other.</summary>
public sealed record OverheadRound(RolloutRun Actors, RolloutRun Serial, TaskLeaseCounters Leases)
{
    /// <summary>Actor path steps/s ÷ serial path steps/s.</summary>
    public double Ratio => Actors.StepsPerSecond / Serial.StepsPerSecond;
}

/// <summary>Every round; <see cref="SampleEpisode"/> is one of the serial path's episodes (for the replay ingest benchmark).</summary>
public sealed record ActorOverheadResult(ActorOverheadSettings Settings, IReadOnlyList<OverheadRound> Rounds, Episode SampleEpisode)
{
    /// <summary>The round with the median ratio (of an even count, the lower middle one).</summary>
    public OverheadRound Median => Rounds.OrderBy(r => r.Ratio).ElementAt((Rounds.Count - 1) / 2);

    /// <summary>Actor path steps/s ÷ serial path steps/s, of the median round.</summary>
    public double Ratio => Median.Ratio;

    public RolloutRun Actors => Median.Actors;

    public RolloutRun Serial => Median.Serial;

    public TaskLeaseCounters Leases => Median.Leases;
}

/// <summary>
/// The cost of the actor machinery with the model taken out: the same episodes with the same zero-cost
/// <see cref="ScriptedPolicy"/> are played (1) by the actor path of the embedded runtime — a TaskDispatcher leasing
/// the tasks, a RolloutNode with K RolloutWorkers and its PolicyServer, a ReplayBuffer writing its log to disk and
/// acknowledging after the durable append; an episode counts when its lease completes, i.e. after the ack — and
/// (2) by the serial driver's <see cref="BatchedEpisodeRunner"/> (K episodes in lock step, one thread, nothing stored).
/// The two paths alternate for <see cref="ActorOverheadSettings.Rounds"/> rounds and the median round's ratio is
/// reported: on a shared two-core machine one pair of runs swung 0.25–0.6 with nothing changed.
/// </summary>
public static class ActorOverheadBenchmark
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static ActorOverheadResult Run(Func<ITextEnvironment> createEnvironment, IReadOnlyList<TaskSpec> tasks, ActorOverheadSettings settings,
                                          string walDirectory, Action<string> progress)
    {
        if (settings.Workers < 1 || settings.EnvironmentsPerWorker < 1 || tasks.Count == 0 || settings.WarmUpEpisodes < 0 || settings.Rounds < 1)
            throw new ArgumentException("actor overhead benchmark: workers ≥ 1, environments per worker ≥ 1, tasks ≥ 1, warm-up ≥ 0, rounds ≥ 1 " +
                                        $"(got {settings.Workers}, {settings.EnvironmentsPerWorker}, {tasks.Count}, {settings.WarmUpEpisodes}, {settings.Rounds})");
        var warmUp = tasks.Take(Math.Min(settings.WarmUpEpisodes, tasks.Count)).ToList();

        var rounds = new List<OverheadRound>();
        Episode? sample = null;
        for (int round = 1; round <= settings.Rounds; round++)
        {
            var (serial, episode) = RunSerial(createEnvironment, warmUp, tasks, settings);
            sample ??= episode;
            progress($"round {round}/{settings.Rounds}: serial runner: {serial.Episodes} episodes, {serial.Steps} steps in {serial.Seconds:F2} s = {serial.StepsPerSecond:F0} steps/s, {Describe(serial)}");
            // A fresh log each round: a replay buffer starting on the last round's log would re-read it.
            var (actors, leases) = RunActors(createEnvironment, warmUp, tasks, settings, Path.Combine(walDirectory, $"overhead-replay-{round}.wal"));
            rounds.Add(new OverheadRound(actors, serial, leases));
            progress($"round {round}/{settings.Rounds}: actor runtime ({settings.Workers} workers × {settings.EnvironmentsPerWorker} environments, workers on {settings.Threads.Describe()}): " +
                     $"{actors.Episodes} episodes, {actors.Steps} steps in {actors.Seconds:F2} s = {actors.StepsPerSecond:F0} steps/s, {Describe(actors)} (ratio {rounds[^1].Ratio:F2})");
        }
        return new ActorOverheadResult(settings, rounds, sample!);
    }

    private static string Describe(RolloutRun run) =>
        $"{run.BytesPerStep:F0} B/step allocated, GCs {run.Memory.Gen0}/{run.Memory.Gen1}/{run.Memory.Gen2} (gen 0/1/2), {run.Memory.PauseSeconds * 1000:F0} ms paused";

    private static (RolloutRun Run, Episode Sample) RunSerial(Func<ITextEnvironment> createEnvironment, List<TaskSpec> warmUp, IReadOnlyList<TaskSpec> tasks,
                                                             ActorOverheadSettings settings)
    {
        var counter = new StepCounter();
        var policy = new ScriptedPolicy();
        var runner = new BatchedEpisodeRunner(() => new CountingEnvironment(createEnvironment(), counter), policy, settings.Options, useReflector: true)
        {
            PlannerPrompt = settings.PlannerPrompt,
            ReflectorPrompt = settings.ReflectorPrompt,
            MaxConcurrentEpisodes = settings.ConcurrentEpisodes,
        };
        if (warmUp.Count > 0) runner.Run(warmUp);
        counter.Reset();
        SettleHeap();
        var gc = GcActivity.Start();
        var clock = Stopwatch.StartNew();
        var episodes = runner.Run(tasks);
        double seconds = clock.Elapsed.TotalSeconds;
        return (new RolloutRun(episodes.Count, counter.Steps, seconds, policy.MeanBatch, gc()), episodes[0]);
    }

    private static (RolloutRun Run, TaskLeaseCounters Leases) RunActors(Func<ITextEnvironment> createEnvironment, List<TaskSpec> warmUp,
                                                                         IReadOnlyList<TaskSpec> tasks, ActorOverheadSettings settings, string walPath)
    {
        var policy = new ScriptedPolicy(); // one server, one backend: its counters are the server's batches
        var counter = new StepCounter();
        var system = BenchmarkActorSystems.Local("bench-rollout");
        try
        {
            var replay = system.ActorOf(ReplayBuffer.Props(new ReplayStoreOptions { WalPath = walPath, Capacity = warmUp.Count + tasks.Count + 1 },
                ActorRefs.Nobody, TimeSpan.Zero), "replay");
            var dispatcher = system.ActorOf(TaskDispatcher.Props(new TaskLeaseOptions { MaxOutstandingPerWorker = 2 * settings.EnvironmentsPerWorker })
                .WithDispatcher(Hosting.ComputeDispatcher.For(settings.Threads)), "dispatcher"); // placed as the embedded runtime places it
            var weights = system.ActorOf(WeightStore.Props(), "weights");
            var episodes = new EpisodeSettings(() => new CountingEnvironment(createEnvironment(), counter), settings.Options, UseReflector: true,
                settings.PlannerPrompt, settings.ReflectorPrompt);
            var node = new RolloutNodeSettings(settings.Workers, episodes, new RolloutWorkerOptions { Environments = settings.EnvironmentsPerWorker },
                new PolicyServerOptions { MaxBatch = settings.ServerMaxBatch, MaxWait = settings.MaxWait }, ReportEvery: TimeSpan.Zero, Threads: settings.Threads);
            system.ActorOf(RolloutNode.Props(node, () => policy, new RolloutPeers(dispatcher, replay, weights, ActorRefs.Nobody)), "rollout");

            Play(dispatcher, warmUp, completedBefore: 0);
            counter.Reset();
            SettleHeap();
            var gc = GcActivity.Start();
            var clock = Stopwatch.StartNew();
            var leases = Play(dispatcher, tasks, completedBefore: warmUp.Count);
            double seconds = clock.Elapsed.TotalSeconds;
            return (new RolloutRun(tasks.Count, counter.Steps, seconds, policy.MeanBatch, gc()), leases);
        }
        finally
        {
            BenchmarkActorSystems.TerminateAll(system);
        }
    }

    /// <summary>
    /// A full blocking collection before each timed run, so neither path pays for the garbage the other (or its own
    /// warm-up, or the last round's torn-down actor system) left behind.
    /// </summary>
    private static void SettleHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>Queues <paramref name="tasks"/> and waits until all their leases completed (every trajectory acknowledged by the replay buffer).</summary>
    private static TaskLeaseCounters Play(IActorRef dispatcher, IReadOnlyList<TaskSpec> tasks, long completedBefore)
    {
        foreach (var chunk in tasks.Chunk(EnqueueTasks.MaxTasks)) dispatcher.Tell(new EnqueueTasks(chunk));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var counters = dispatcher.Ask<TaskLeaseCounters>(TaskDispatcher.GetTaskLeaseCounters.Instance, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            if (counters.Completed >= completedBefore + tasks.Count) return counters;
            if (deadline.Elapsed > Patience)
                throw new TimeoutException($"the actor path did not finish {tasks.Count} episodes within {Patience.TotalMinutes} min: {counters}");
            Thread.Sleep(2); // polling resolution; the runs last seconds
        }
    }
}

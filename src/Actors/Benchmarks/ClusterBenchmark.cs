using System.Diagnostics;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Rollout;
using RetroAct.Actors.Weights;
using RetroAct.Core.Environments;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Actors.Benchmarks;

/// <summary>Sizes of one <c>bench cluster</c> run: the full measurement, or a quick one (small model, few tokens) for tests.</summary>
public sealed record ClusterBenchmarkPlan(BatchingSettings Batching, ActorOverheadSettings Overhead, int OverheadEpisodes, string WeightPreset, int WeightReceivers,
                                          int PullWindow, int WeightRepeats, int IngestTrajectories, int IngestInFlight, int IngestWarmUp)
{
    private static readonly TimeSpan MaxWait = new PolicyServerOptions().MaxWait;

    /// <summary>The model the batching measurement serves by default: the 1m preset, the planner size the RL experiments run.</summary>
    public const string DefaultGenerationPreset = "1m";

    public static ClusterBenchmarkPlan For(bool quick, int? pullWindow = null, int? workers = null, TimeSpan? maxWait = null, int? maxBatch = null,
                                           string? generationPreset = null, int? environmentsPerWorker = null, WorkerThreads? workerThreads = null)
    {
        var wait = maxWait ?? MaxWait;
        var runtime = new Hosting.ActorRuntimeOptions();
        int rolloutWorkers = workers ?? runtime.WorkersPerNode;
        int environments = environmentsPerWorker ?? runtime.Workers.Environments;
        var threads = workerThreads ?? runtime.ResolvedWorkerThreads("household");
        int window = pullWindow ?? new PolicyServerOptions().PullWindow;
        var planner = PlannerPrompt.Household with { HistoryWindow = 10 }; // a bounded prompt, as training configurations set it
        var reflector = ReflectorPrompt.Household;
        return quick
            ? new(new BatchingSettings(generationPreset ?? DefaultGenerationPreset, Clients: 8, RequestsPerClient: 2, PromptChars: 32, NewTokens: 16, wait),
                  new ActorOverheadSettings(Workers: rolloutWorkers, EnvironmentsPerWorker: environments, WarmUpEpisodes: 8, new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 10, MemorySize: 3),
                      planner, reflector, wait, maxBatch, Threads: threads), OverheadEpisodes: 40,
                  WeightPreset: "5m", WeightReceivers: 2, window, WeightRepeats: 1, IngestTrajectories: 200, IngestInFlight: 32, IngestWarmUp: 20)
            // 16 requests per client: with 4, the batched run lasted ~0.5 s, inside the tiered JIT's recompilation of the
            // hot path, and its tokens/s swung 1,543–3,986 over six runs of one build.
            : new(new BatchingSettings(generationPreset ?? DefaultGenerationPreset, Clients: 8, RequestsPerClient: 16, PromptChars: 64, NewTokens: 48, wait, Rounds: 3),
                  new ActorOverheadSettings(Workers: rolloutWorkers, EnvironmentsPerWorker: environments, WarmUpEpisodes: 200, new MultiTrialOptions(Trials: 3, MaxTurnsPerTrial: 20, MemorySize: 3),
                      planner, reflector, wait, maxBatch, Rounds: 3, threads), OverheadEpisodes: 2000,
                  WeightPreset: "20m", WeightReceivers: 2, window, WeightRepeats: 5, IngestTrajectories: 2000, IngestInFlight: 32, IngestWarmUp: 100);
    }
}

/// <summary>Everything one run measured.</summary>
public sealed record ClusterBenchmarkResult(
    ClusterBenchmarkPlan Plan,
    BatchingResult Batching,
    ActorOverheadResult Overhead,
    long WeightParameters,
    IReadOnlyList<WeightDelivery> WeightDeliveries,
    IReadOnlyList<WeightDelivery> GrpcDeliveries,
    IReadOnlyList<WeightDelivery> AkkaDeliveries,
    IReadOnlyList<RawTcpDelivery> RawTcpDeliveries,
    IReadOnlyList<WeightDelivery> LoraDeliveries,
    ReplayIngestResult Ingest,
    int TorchThreads,
    double ElapsedSeconds)
{
    /// <summary>The cluster's default transport, which <see cref="WeightDeliveries"/> measured.</summary>
    public static WeightTransport DefaultTransport => new PolicyServerOptions().WeightTransport;

    /// <summary>Median delivery seconds of the cluster's default transport (the plain-socket pull) over the repeats.</summary>
    public double WeightSeconds => Median(WeightDeliveries.Select(d => d.Seconds));

    /// <summary>Median delivery seconds of the gRPC stream over the repeats.</summary>
    public double GrpcSeconds => Median(GrpcDeliveries.Select(d => d.Seconds));

    /// <summary>Median delivery seconds of the chunked Akka pull over the repeats.</summary>
    public double AkkaSeconds => Median(AkkaDeliveries.Select(d => d.Seconds));

    /// <summary>
    /// Median delivery seconds, over the default transport, of an adapters-only version (LoRA r = 8 on q/v for both
    /// roles, on the same base): what each RL version costs with Model:Sharing = LoraAdapters.
    /// </summary>
    public double LoraSeconds => Median(LoraDeliveries.Select(d => d.Seconds));

    /// <summary>Median raw-TCP copy seconds over the repeats.</summary>
    public double RawTcpSeconds => Median(RawTcpDeliveries.Select(d => d.CopySeconds));

    /// <summary>Median raw-TCP copy-and-SHA-256 seconds over the repeats.</summary>
    public double RawTcpWithHashSeconds => Median(RawTcpDeliveries.Select(d => d.CopyAndHashSeconds));

    /// <summary>Median raw-TCP copy-and-XXH128 seconds over the repeats (the weight versions' checksum).</summary>
    public double RawTcpWithChecksumSeconds => Median(RawTcpDeliveries.Select(d => d.CopyAndChecksumSeconds));

    /// <summary>The acceptance ratio: the default transport against raw TCP.</summary>
    public double WeightBroadcastVsRawTcp => WeightSeconds / RawTcpSeconds;

    /// <summary>The gRPC stream against raw TCP.</summary>
    public double GrpcVsRawTcp => GrpcSeconds / RawTcpSeconds;

    /// <summary>The chunked Akka pull (the fallback, and the one-process path's protocol) against raw TCP.</summary>
    public double AkkaChunkedVsRawTcp => AkkaSeconds / RawTcpSeconds;

    /// <summary>Receivers that verified the checksum in every measured delivery of every transport (the smallest count over repeats).</summary>
    public int WeightReceiversVerified => WeightDeliveries.Concat(GrpcDeliveries).Concat(AkkaDeliveries).Concat(LoraDeliveries).Min(d => d.ReceiversVerified);

    /// <summary>Receivers that got every measured delivery of the default transport through its stream, not the chunked fallback.</summary>
    public int WeightReceiversStreamed => WeightDeliveries.Min(d => d.ReceiversStreamed);

    /// <summary>Receivers that got every measured gRPC delivery through the stream, not the chunked fallback.</summary>
    public int GrpcReceiversStreamed => GrpcDeliveries.Min(d => d.ReceiversStreamed);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>
/// <c>retroact bench cluster</c>: the four measurements of the distributed runtime in one process, one after the
/// other (never concurrently: on two cores they would disturb each other). Environment and tasks come from the
/// caller, so this layer needs no particular environment.
/// </summary>
public static class ClusterBenchmark
{
    public static ClusterBenchmarkResult Run(ClusterBenchmarkPlan plan, Func<ITextEnvironment> createEnvironment, IReadOnlyList<TaskSpec> tasks,
                                             Action<string> progress, int? torchThreads = null)
    {
        // libtorch defaults to one thread per core; on a shared machine a second thread waits on a busy core at every op.
        if (torchThreads is { } threads) TorchSharp.torch.set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        string scratch = Path.Combine(Path.GetTempPath(), $"retroact-bench-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            progress($"1/4 policy server batching ({plan.Batching.Preset}, {plan.Batching.Clients} clients)");
            var batching = PolicyServerBatchingBenchmark.Run(plan.Batching, progress);

            progress($"2/4 actor overhead ({plan.Overhead.Workers} workers × {plan.Overhead.EnvironmentsPerWorker} environments, {plan.OverheadEpisodes} episodes, scripted policy)");
            var episodes = Enumerable.Range(0, plan.OverheadEpisodes).Select(i => tasks[i % tasks.Count]).ToList();
            var overhead = ActorOverheadBenchmark.Run(createEnvironment, episodes, plan.Overhead, scratch, progress);

            progress($"3/4 weight broadcast ({plan.WeightPreset} weights to {plan.WeightReceivers} receivers: socket pull, gRPC stream, Akka chunks with pull window {plan.PullWindow}, raw TCP)");
            var (parameters, deliveries, raw, lora) = MeasureWeights(plan, progress);

            progress($"4/4 replay ingest ({plan.IngestTrajectories} trajectories, {plan.IngestInFlight} in flight, write-ahead log in {Path.GetTempPath()})");
            var ingest = ReplayIngestBenchmark.Run(overhead.SampleEpisode, plan.IngestTrajectories, plan.IngestInFlight, plan.IngestWarmUp, scratch);
            progress($"replay ingest: {ingest.Trajectories} trajectories ({ingest.BytesPerTrajectory:N0} B each) in {ingest.Seconds:F2} s = {ingest.MessagesPerSecond:F0} msgs/s");

            return new ClusterBenchmarkResult(plan, batching, overhead, parameters, deliveries[WeightTransport.Tcp], deliveries[WeightTransport.Grpc],
                deliveries[WeightTransport.Akka], raw, lora, ingest, TorchSharp.torch.get_num_threads(),
                clock.Elapsed.TotalSeconds);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    // Each transport in its own block: untimed deliveries of the same blob first (connections open, JIT warm, and the
    // receivers' memory for a blob of this size committed: in a probe the first delivery after other work, raw TCP
    // included, took 0.5–0.9 s where the next took 0.04–0.1 s; and the socket pull's first timed delivery after a single
    // warm-up was still up to 2–3× its later ones), then the
    // timed repeats, as a node receiving one version after another sees them. The actor systems of a block are stopped
    // before the next block starts.
    private const int WarmUpDeliveries = 3;

    private static (long Parameters, Dictionary<WeightTransport, List<WeightDelivery>> Deliveries, List<RawTcpDelivery> Raw, List<WeightDelivery> Lora)
        MeasureWeights(ClusterBenchmarkPlan plan, Action<string> progress)
    {
        var config = LlamaConfig.Preset(plan.WeightPreset);
        var (blob, adapters) = WeightBlobs(config, seed: 3);
        var deliveries = new Dictionary<WeightTransport, List<WeightDelivery>>();
        var raw = new List<RawTcpDelivery>();
        var lora = new List<WeightDelivery>();
        foreach (var transport in new[] { WeightTransport.Tcp, WeightTransport.Grpc, WeightTransport.Akka })
        {
            deliveries[transport] = [];
            using var broadcast = new WeightBroadcastBenchmark(plan.WeightReceivers, plan.PullWindow, transport);
            Repeat(broadcast, blob, plan.WeightRepeats, deliveries[transport], progress, "");
            // The default transport also carries the adapters-only versions of LoRA role adapters.
            if (transport == ClusterBenchmarkResult.DefaultTransport) Repeat(broadcast, adapters, plan.WeightRepeats, lora, progress, " (LoRA adapters only)");
        }
        for (int i = 0; i < WarmUpDeliveries; i++)
        {
            Settle();
            RawTcpBroadcast.Run(blob, plan.WeightReceivers);
        }
        for (int i = 0; i < plan.WeightRepeats; i++)
        {
            Settle();
            var r = RawTcpBroadcast.Run(blob, plan.WeightReceivers);
            raw.Add(r);
            progress($"raw tcp: {r.Bytes:N0} bytes to {r.Receivers} receivers in {r.CopySeconds:F3} s ({r.CopyAndHashSeconds:F3} s with SHA-256, {r.CopyAndChecksumSeconds:F3} s with XXH128)");
        }
        return (config.ParameterCount, deliveries, raw, lora);
    }

    private static void Repeat(WeightBroadcastBenchmark broadcast, byte[] blob, int repeats, List<WeightDelivery> into, Action<string> progress, string label)
    {
        for (int i = 0; i < WarmUpDeliveries; i++)
        {
            Settle();
            broadcast.Deliver(blob);
        }
        for (int i = 0; i < repeats; i++)
        {
            Settle();
            var d = broadcast.Deliver(blob);
            into.Add(d);
            progress(d.Transport == WeightTransports.Name(WeightTransport.Akka)
                ? $"akka{label}: {d.Bytes:N0} bytes ({d.Chunks} chunks) to {d.Receivers} receivers in {d.Seconds:F2} s; checksum verified on {d.ReceiversVerified}"
                : $"{d.Transport}{label}: {d.Bytes:N0} bytes to {d.Receivers} receivers in {d.Seconds:F3} s; streamed to {d.ReceiversStreamed}, checksum verified on {d.ReceiversVerified}" +
                  $" (gen-2 GCs {d.Gen2Collections}, GC pauses {d.GcPauseSeconds * 1000:F1} ms)");
        }
    }

    // Each delivery leaves 2 × 72.5 MB of received blobs (and the chunked path many chunks) as garbage; collected
    // inside the next timed delivery it cost that delivery up to ~0.7 s (seen in a probe). Every timed delivery
    // starts on a collected heap instead, as a node's does between two weight versions. It also starts after a short
    // idle gap, as a node's does (versions come seconds apart): back to back, the socket pull measured 0.12–0.29 s
    // where the same deliveries ~0.5 s apart measured mostly 0.05–0.11 s (a probe in one process, 2 cores), most
    // likely because the background JIT, tiering up the last delivery's code, ran during the next. Raw TCP gets the same gap.
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Thread.Sleep(IdleGap);
    }

    private static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Real weight blobs: the transport's container around a randomly initialised model of <paramref name="config"/>
    /// (one model playing both roles), and the adapters-only version of the same base with the default LoRA role adapters.
    /// </summary>
    private static (byte[] Full, byte[] Adapters) WeightBlobs(LlamaConfig config, long seed)
    {
        byte[] full;
        using (var shared = AgentModels.Create(config, RoleSharing.SharedModel, seed)) full = AgentWeightsBlob.Serialize(shared);
        using var adapted = AgentModels.Create(config, RoleSharing.LoraAdapters, seed);
        return (full, AgentWeightsBlob.SerializeAdapters(adapted));
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RetroAct.Actors.Benchmarks;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Rollout;
using RetroAct.Environments.Household;
using RetroAct.Environments.Household.Agents;
using RetroAct.Environments.Household.Generation;

namespace RetroAct.Cli.Commands;

/// <summary>
/// <c>retroact bench cluster [--json] [--quick] [--pull-window N]</c>: the distributed runtime's costs and gains —
/// PolicyServer batching, actor overhead against the serial runner, weight broadcast (gRPC stream, the cluster default,
/// and Akka chunks) against raw TCP, replay buffer ingest (measurements in src/Actors/Benchmarks).
/// </summary>
public static class BenchClusterCommand
{
    private const int HouseholdGames = 200;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of lines of text." };
        var quick = new Option<bool>("--quick") { Description = "Small model, few tokens, episodes and trajectories: finishes in well under a minute; noisier." };
        var workers = new Option<int?>("--workers") { Description = "Rollout workers (and the PolicyServer's max batch) of the actor overhead measurement (default: the runtime's workers per node)." };
        var maxWait = new Option<double?>("--max-wait-ms") { Description = "PolicyServer max wait in both generation measurements (default: the runtime's)." };
        var envsPerWorker = new Option<int?>("--envs-per-worker") { Description = "Episodes each worker plays at once in the actor overhead measurement (default: the runtime's); the serial path plays workers × this many." };
        var workerThreads = new Option<string?>("--worker-threads") { Description = "Where the actor overhead measurement's workers run: compute (the policy server's thread; the runtime's default) or pool." };
        var maxBatch = new Option<int?>("--max-batch") { Description = "PolicyServer max batch in the actor overhead measurement (default: workers × environments per worker)." };
        var preset = new Option<string?>("--preset") { Description = $"Model preset the PolicyServer serves in the batching measurement: 1m, 5m or 20m (default {ClusterBenchmarkPlan.DefaultGenerationPreset})." };
        var torchThreads = new Option<int?>("--torch-threads") { Description = "libtorch threads for the generation benchmark (default: libtorch's, one per core)." };
        var pullWindow = new Option<int?>("--pull-window")
        {
            Description = $"Weight chunks each PolicyServer asks for at once (1..{WeightChunkRequest.MaxCount}; default: the runtime's {new Actors.Inference.PolicyServerOptions().PullWindow}).",
        };
        var command = new Command("cluster", "Policy-server batching gain, actor overhead, weight broadcast vs raw TCP, replay ingest rate.");
        command.Options.Add(json);
        command.Options.Add(quick);
        command.Options.Add(pullWindow);
        command.Options.Add(torchThreads);
        command.Options.Add(workers);
        command.Options.Add(maxWait);
        command.Options.Add(maxBatch);
        command.Options.Add(envsPerWorker);
        command.Options.Add(workerThreads);
        command.Options.Add(preset);
        command.SetAction(parse => CliRun.Guard(() => Execute(parse.GetValue(json), parse.GetValue(quick), parse.GetValue(pullWindow),
            parse.GetValue(torchThreads), parse.GetValue(workers), parse.GetValue(maxWait), parse.GetValue(maxBatch), parse.GetValue(preset), parse.GetValue(envsPerWorker),
            parse.GetValue(workerThreads))));
        return command;
    }

    private static int Execute(bool json, bool quick, int? pullWindow, int? torchThreads, int? workers, double? maxWaitMs, int? maxBatch, string? preset,
                               int? envsPerWorker, string? workerThreads)
    {
        if (pullWindow is < 1 or > WeightChunkRequest.MaxCount)
            throw new CliUsageException($"--pull-window {pullWindow}: allowed: 1..{WeightChunkRequest.MaxCount}");
        if (torchThreads is < 1 or > 256) throw new CliUsageException($"--torch-threads {torchThreads}: allowed: 1..256");
        if (workers is < 1 or > 64) throw new CliUsageException($"--workers {workers}: allowed: 1..64");
        if (preset is not (null or "1m" or "5m" or "20m")) throw new CliUsageException($"--preset '{preset}': allowed: 1m, 5m, 20m");
        if (maxBatch is < 1 or > 64) throw new CliUsageException($"--max-batch {maxBatch}: allowed: 1..64");
        if (envsPerWorker is < 1 or > Actors.Protocol.LeaseRequest.MaxCount)
            throw new CliUsageException($"--envs-per-worker {envsPerWorker}: allowed: 1..{Actors.Protocol.LeaseRequest.MaxCount}");
        WorkerThreads? threads = workerThreads is null ? null : Training.TrainingOptionSet.ParseWorkerThreads(workerThreads);
        if (maxWaitMs is { } mw && !(mw >= 0 && mw <= 10_000)) throw new CliUsageException($"--max-wait-ms {mw}: allowed: 0..10000");
        var given = new List<string> { "retroact bench cluster" };
        if (json) given.Add("--json");
        if (quick) given.Add("--quick");
        if (pullWindow is { } w) given.Add($"--pull-window {w}");
        if (torchThreads is { } t) given.Add($"--torch-threads {t}");
        if (workers is { } k) given.Add($"--workers {k}");
        if (maxWaitMs is { } m) given.Add($"--max-wait-ms {m.ToString(CultureInfo.InvariantCulture)}");
        if (maxBatch is { } mb) given.Add($"--max-batch {mb}");
        if (envsPerWorker is { } epw) given.Add($"--envs-per-worker {epw}");
        if (workerThreads is not null) given.Add($"--worker-threads {workerThreads}");
        if (preset is not null) given.Add($"--preset {preset}");
        string commandLine = string.Join(' ', given);
        double? loadBefore = LoadAverage();
        var tasks = Enumerable.Range(0, HouseholdGames).Select(i => ExpertEvaluation.GameTask(HouseholdSplits.Train, 1_000_000, i)).ToList();
        var plan = ClusterBenchmarkPlan.For(quick, pullWindow, workers, maxWaitMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, maxBatch, preset, envsPerWorker, threads);
        // stdout is the report alone: an actor system that logs while it shuts down (its loggers already stopped)
        // falls back to Akka's stdout logger, so everything written during the run goes to stderr.
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        ClusterBenchmarkResult result;
        try
        {
            result = ClusterBenchmark.Run(plan, () => new HouseholdEnvironment(new HouseholdOptions { MaxSteps = 50 }), tasks,
                line => Console.Error.WriteLine(line), torchThreads);
        }
        finally
        {
            Console.SetOut(stdout);
        }
        double? loadAfter = LoadAverage();
#if DEBUG
        const string Configuration = "Debug";
#else
        const string Configuration = "Release";
#endif
        var report = Report(result, quick, Configuration, commandLine, loadBefore, loadAfter);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        Console.WriteLine($"policy_server_batching_gain {result.Batching.Gain:F2} (target >= 3): {result.Batching.Batched.TokensPerSecond:F0} vs {result.Batching.Alone.TokensPerSecond:F0} tok/s ({result.Batching.Settings.Preset})");
        Console.WriteLine($"actor_overhead_ratio {result.Overhead.Ratio:F2} (target >= 0.8): {result.Overhead.Actors.StepsPerSecond:F0} vs {result.Overhead.Serial.StepsPerSecond:F0} steps/s");
        Console.WriteLine($"weight_broadcast_vs_raw_tcp {result.WeightBroadcastVsRawTcp:F2} (target <= 2, {Actors.Weights.WeightTransports.Name(ClusterBenchmarkResult.DefaultTransport)} pull): " +
                          $"{result.WeightSeconds:F3} s vs {result.RawTcpSeconds:F3} s; checksum verified on {result.WeightReceiversVerified} of {result.Plan.WeightReceivers}; " +
                          $"gRPC stream: {result.GrpcVsRawTcp:F2} ({result.GrpcSeconds:F3} s); Akka chunks: {result.AkkaChunkedVsRawTcp:F2} ({result.AkkaSeconds:F3} s); " +
                          $"LoRA adapters only: {result.LoraDeliveries[0].Bytes:N0} bytes in {result.LoraSeconds:F3} s");
        Console.WriteLine($"trajectory_messages_per_second {result.Ingest.MessagesPerSecond:F0} ({result.Ingest.BytesPerTrajectory:N0} B each, write-ahead log fsynced)");
        Console.WriteLine($"{commandLine} ({Configuration}, torch threads {result.TorchThreads}, {result.ElapsedSeconds:F0} s)");
        return 0;
    }

    private static Dictionary<string, object?> Report(ClusterBenchmarkResult r, bool quick, string configuration, string commandLine, double? loadBefore, double? loadAfter)
    {
        var b = r.Batching;
        var o = r.Overhead;
        return new Dictionary<string, object?>
        {
            ["policy_server_batching_gain"] = b.Gain,
            ["actor_overhead_ratio"] = o.Ratio,
            ["weight_broadcast_vs_raw_tcp"] = r.WeightBroadcastVsRawTcp,
            ["trajectory_messages_per_second"] = r.Ingest.MessagesPerSecond,
            ["batching"] = new Dictionary<string, object?>
            {
                ["model_preset"] = b.Settings.Preset,
                ["parameters"] = b.Parameters,
                ["clients"] = b.Settings.Clients,
                ["requests_per_client"] = b.Settings.RequestsPerClient,
                ["prompt_tokens"] = b.Settings.PromptChars,
                ["new_tokens_per_request"] = b.Settings.NewTokens,
                ["max_wait_ms"] = b.Settings.MaxWait.TotalMilliseconds,
                ["batched_max_batch"] = b.Batched.MaxBatch,
                ["batched_tokens"] = b.Batched.Tokens,
                ["batched_seconds"] = b.Batched.Seconds,
                ["batched_tokens_per_second"] = b.Batched.TokensPerSecond,
                ["batched_mean_batch"] = b.Batched.MeanBatch,
                ["alone_max_batch"] = b.Alone.MaxBatch,
                ["alone_tokens"] = b.Alone.Tokens,
                ["alone_seconds"] = b.Alone.Seconds,
                ["alone_tokens_per_second"] = b.Alone.TokensPerSecond,
                ["alone_mean_batch"] = b.Alone.MeanBatch,
                ["rounds"] = b.Rounds.Select(round => new Dictionary<string, object?>
                {
                    ["gain"] = round.Gain,
                    ["batched_tokens_per_second"] = round.Batched.TokensPerSecond,
                    ["alone_tokens_per_second"] = round.Alone.TokensPerSecond,
                }).ToList(),
                ["reported"] = "the median round's gain and runs (each round: batched, then alone, on fresh servers)",
                ["baseline"] = "the same PolicyServer and clients with max batch 1: each request generated alone, clients taking turns",
            },
            ["actor_overhead"] = new Dictionary<string, object?>
            {
                ["workers"] = o.Settings.Workers,
                ["environments_per_worker"] = o.Settings.EnvironmentsPerWorker,
                ["worker_threads"] = o.Settings.Threads.Name(),
                ["concurrent_episodes"] = o.Settings.ConcurrentEpisodes,
                ["max_wait_ms"] = o.Settings.MaxWait.TotalMilliseconds,
                ["max_batch"] = o.Settings.ServerMaxBatch,
                ["episodes"] = o.Actors.Episodes,
                ["trials"] = o.Settings.Options.Trials,
                ["max_turns_per_trial"] = o.Settings.Options.MaxTurnsPerTrial,
                ["policy"] = "scripted: planner writes 'look', reflector a fixed line",
                ["actor_steps"] = o.Actors.Steps,
                ["actor_seconds"] = o.Actors.Seconds,
                ["actor_steps_per_second"] = o.Actors.StepsPerSecond,
                ["actor_mean_batch"] = o.Actors.MeanBatch,
                ["serial_steps"] = o.Serial.Steps,
                ["serial_seconds"] = o.Serial.Seconds,
                ["serial_steps_per_second"] = o.Serial.StepsPerSecond,
                ["serial_mean_batch"] = o.Serial.MeanBatch,
                ["leases_completed"] = o.Leases.Completed,
                ["leases_given_back"] = o.Leases.GivenBack,
                ["warm_up_episodes"] = o.Settings.WarmUpEpisodes,
                ["rounds"] = o.Rounds.Select(round => new Dictionary<string, object?>
                {
                    ["ratio"] = round.Ratio,
                    ["actor_steps_per_second"] = round.Actors.StepsPerSecond,
                    ["serial_steps_per_second"] = round.Serial.StepsPerSecond,
                    ["actor_bytes_per_step"] = round.Actors.BytesPerStep,
                    ["serial_bytes_per_step"] = round.Serial.BytesPerStep,
                    ["actor_gc"] = Gc(round.Actors.Memory),
                    ["serial_gc"] = Gc(round.Serial.Memory),
                }).ToList(),
                ["reported"] = "the median round's ratio and runs (rounds alternate serial, actors)",
            },
            ["weight_broadcast"] = new Dictionary<string, object?>
            {
                ["model_preset"] = r.Plan.WeightPreset,
                ["parameters"] = r.WeightParameters,
                ["bytes"] = r.WeightDeliveries[0].Bytes,
                ["chunks"] = r.WeightDeliveries[0].Chunks,
                ["transport"] = Actors.Weights.WeightTransports.Name(ClusterBenchmarkResult.DefaultTransport),
                ["grpc_message_bytes"] = Actors.Weights.WeightTransferService.MessageBytes,
                ["chunk_bytes"] = Actors.Weights.WeightChunker.DefaultChunkBytes,
                ["pull_window"] = r.Plan.PullWindow,
                ["receivers"] = r.Plan.WeightReceivers,
                ["receivers_checksum_verified"] = r.WeightReceiversVerified,
                ["lora_adapters_bytes"] = r.LoraDeliveries[0].Bytes,
                ["lora_adapters_seconds"] = r.LoraSeconds,
                ["lora_adapters"] = "adapters-only version (Model:Sharing = LoraAdapters): planner and reflector adapters, r = 8, alpha = 16, on q/v of the same base",
                ["full_vs_lora_adapters_seconds"] = r.WeightSeconds / r.LoraSeconds,
                ["receivers_streamed"] = r.WeightReceiversStreamed,
                ["seconds"] = r.WeightSeconds,
                ["seconds_each"] = r.WeightDeliveries.Select(d => d.Seconds).ToArray(),
                ["megabytes_per_second"] = r.WeightDeliveries[0].Bytes * r.Plan.WeightReceivers / r.WeightSeconds / 1e6,
                ["vs_raw_tcp_with_sha256"] = r.WeightSeconds / r.RawTcpWithHashSeconds,
                ["grpc_seconds"] = r.GrpcSeconds,
                ["grpc_seconds_each"] = r.GrpcDeliveries.Select(d => d.Seconds).ToArray(),
                ["grpc_megabytes_per_second"] = r.GrpcDeliveries[0].Bytes * r.Plan.WeightReceivers / r.GrpcSeconds / 1e6,
                ["grpc_vs_raw_tcp"] = r.GrpcVsRawTcp,
                ["grpc_receivers_streamed"] = r.GrpcReceiversStreamed,
                ["akka_seconds"] = r.AkkaSeconds,
                ["akka_seconds_each"] = r.AkkaDeliveries.Select(d => d.Seconds).ToArray(),
                ["akka_megabytes_per_second"] = r.AkkaDeliveries[0].Bytes * r.Plan.WeightReceivers / r.AkkaSeconds / 1e6,
                ["akka_chunked_vs_raw_tcp"] = r.AkkaChunkedVsRawTcp,
                ["akka_chunked_vs_raw_tcp_with_sha256"] = r.AkkaSeconds / r.RawTcpWithHashSeconds,
                ["raw_tcp_seconds"] = r.RawTcpSeconds,
                ["raw_tcp_seconds_each"] = r.RawTcpDeliveries.Select(d => d.CopySeconds).ToArray(),
                ["raw_tcp_with_sha256_seconds"] = r.RawTcpWithHashSeconds,
                ["raw_tcp_with_xxh128_seconds"] = r.RawTcpWithChecksumSeconds,
                ["vs_raw_tcp_with_xxh128"] = r.WeightSeconds / r.RawTcpWithChecksumSeconds,
                ["checksum"] = Actors.Weights.WeightChecksum.Algorithm,
                ["setup"] = "3 ActorSystems in one process on 127.0.0.1 with Akka.Remote (DotNetty TCP, default 128,000-byte frame); " +
                            "tcp (the default): the store's node also runs the plain-socket weight server and each PolicyServer pulls from it (one connection per pull); " +
                            "grpc: the store's node runs the Kestrel h2c weight server instead and each PolicyServer streams from it; " +
                            "akka: each PolicyServer pulls 64 KiB chunks over Akka.Remote; each transport in its own block, one untimed delivery of the blob first, " +
                            "a full GC before each timed one",
            },
            ["replay_ingest"] = new Dictionary<string, object?>
            {
                ["trajectories"] = r.Ingest.Trajectories,
                ["in_flight"] = r.Ingest.InFlight,
                ["bytes_per_trajectory"] = r.Ingest.BytesPerTrajectory,
                ["messages_per_trajectory"] = r.Ingest.MessagesPerTrajectory,
                ["seconds"] = r.Ingest.Seconds,
                ["trajectories_per_second"] = r.Ingest.TrajectoriesPerSecond,
                ["write_ahead_log"] = "on disk; group commit (one fsync for the trajectories waiting in the mailbox), ack after it; one process (no network)",
            },
            ["quick"] = quick,
            ["cores"] = Environment.ProcessorCount,
            ["torch_threads"] = r.TorchThreads,
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = loadAfter,
            ["elapsed_seconds"] = r.ElapsedSeconds,
            ["configuration"] = configuration,
            ["command"] = commandLine,
        };
    }

    private static Dictionary<string, object?> Gc(GcActivity gc) => new()
    {
        ["allocated_bytes"] = gc.AllocatedBytes,
        ["gen0"] = gc.Gen0,
        ["gen1"] = gc.Gen1,
        ["gen2"] = gc.Gen2,
        ["pause_seconds"] = gc.PauseSeconds,
    };

    private static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

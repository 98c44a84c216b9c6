using System.CommandLine;
using System.Globalization;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Commands;
using RetroAct.Cli.Configuration;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;

namespace RetroAct.Cli.Training;

/// <summary>
/// The options that describe a training run, shared by <c>train</c>, <c>node</c> and <c>cluster up</c> (which passes
/// them on to every node it starts), and their resolution into a validated <see cref="TrainingConfig"/>.
/// </summary>
internal sealed class TrainingOptionSet
{
    public Option<string?> Config { get; } = new("--config") { Description = "JSON configuration file (keys as in TrainingConfig, e.g. {\"Rl\": {\"Lambda\": 2}})." };
    public Option<string?> Env { get; } = new("--env") { Description = "Environment: household, wikiqa, sql, remote." };
    public Option<string?> Algo { get; } = new("--algo") { Description = "retroact (IL + RL, planner and reflector), sft (IL only), sft-rl (IL + RL, planner only)." };
    public Option<string> Preset { get; } = new("--preset") { Description = "quick (minutes on a laptop), default, paper.", DefaultValueFactory = _ => "default" };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed of the whole run." };
    public Option<string?> RunDir { get; } = new("--run-dir") { Description = "Directory for this run (default: runs/<time>-<env>-<algo>)." };
    public Option<string[]> Set { get; } = new("--set") { Description = "Override any key: --set Rl:Lambda=2 (repeatable).", AllowMultipleArgumentsPerToken = true };
    public Option<int?> Workers { get; } = new("--workers") { Description = "Rollout workers per rollout node in the actor runtime (default: train, Model:GenerationBatch ÷ --envs-per-worker; node and cluster up, 4)." };

    public Option<int?> EnvsPerWorker { get; } = new("--envs-per-worker")
    {
        Description = "Episodes each rollout worker plays at once, one environment each; their requests reach the policy server as one message (default 4; when an environment blocks, e.g. remote, use more workers with fewer each and --worker-threads pool).",
    };
    public Option<string?> WorkerThreads { get; } = new("--worker-threads")
    {
        Description = "Where rollout workers run: compute (on the policy server's thread, so environment steps and generation take turns " +
                      "with no thread hand-off; the default) or pool (the thread pool, environments of several workers step at once; " +
                      "the default for --env remote, whose steps wait on the network).",
    };
    public Option<double?> ReportEvery { get; } = new("--report-every") { Description = "Actor runtime: seconds between the metrics reports of replay buffers and policy servers (default 10)." };
    public Option<int?> MaxPolicyLag { get; } = new("--max-policy-lag") { Description = "Actor runtime: drop trajectories more than this many policy versions old (default 4)." };
    public Option<string?> WeightTransport { get; } = new("--weight-transport")
    {
        Description = "Cluster: how rollout nodes pull weight versions from the learner node: tcp (one plain socket per pull from the learner's " +
                      "weight server; default), grpc (a server stream from the learner's gRPC weight server) — both with chunked Akka messages as the " +
                      "fallback — or akka (chunked Akka messages only). Same as --set Cluster:WeightTransport=...",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Env, Algo, Preset, Seed, RunDir, Set, Workers, EnvsPerWorker, WorkerThreads, MaxPolicyLag, ReportEvery, WeightTransport })
            command.Options.Add(option);
    }

    /// <summary>Defaults &lt; preset &lt; --config &lt; RETROACT__* &lt; options; an invalid value is a usage error naming it.</summary>
    public (TrainingConfig Config, string Preset) Resolve(ParseResult parse)
    {
        string presetName = parse.GetValue(Preset)!;
        if (!TrainingConfig.Presets.TryGetValue(presetName, out var presetValues))
            throw new CliUsageException($"--preset '{presetName}': allowed: {string.Join(", ", TrainingConfig.Presets.Keys)}");
        var overrides = new Dictionary<string, string?>(presetValues);
        if (parse.GetValue(Env) is { } e) overrides["Env"] = e;
        if (parse.GetValue(Algo) is { } a) overrides["Algo"] = a;
        if (parse.GetValue(Seed) is { } s) overrides["Seed"] = s.ToString(CultureInfo.InvariantCulture);
        foreach (string pair in parse.GetValue(Set) ?? [])
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliUsageException($"--set '{pair}': expected Key=Value, e.g. Rl:Lambda=2");
            overrides[pair[..eq]] = pair[(eq + 1)..];
        }
        if (parse.GetValue(WeightTransport) is { } transport) overrides["Cluster:WeightTransport"] = transport;
        try
        {
            return (ConfigLoader.Load<TrainingConfig>(parse.GetValue(Config), overrides), presetName);
        }
        catch (ConfigException ce)
        {
            throw new CliUsageException(ce.Message);
        }
    }

    /// <summary>The actor runtime's settings from --workers, --envs-per-worker, --worker-threads, --max-policy-lag and --report-every.</summary>
    public ActorRuntimeOptions ActorOptions(ParseResult parse)
    {
        var options = new ActorRuntimeOptions();
        if (parse.GetValue(Workers) is { } k)
        {
            if (k < 1) throw new CliUsageException($"--workers {k}: allowed: ≥ 1");
            options = options with { WorkersPerNode = k };
        }
        if (parse.GetValue(EnvsPerWorker) is { } e)
        {
            if (e is < 1 or > Actors.Protocol.LeaseRequest.MaxCount) throw new CliUsageException($"--envs-per-worker {e}: allowed: 1..{Actors.Protocol.LeaseRequest.MaxCount}");
            // The dispatcher's per-worker lease bound follows: two per environment, as by default.
            options = options with
            {
                Workers = options.Workers with { Environments = e },
                Leases = options.Leases with { MaxOutstandingPerWorker = Math.Max(options.Leases.MaxOutstandingPerWorker, 2 * e) },
            };
        }
        if (parse.GetValue(WorkerThreads) is { } threads)
            options = options with { WorkerThreads = ParseWorkerThreads(threads) };
        if (parse.GetValue(MaxPolicyLag) is { } lag)
        {
            if (lag < 0) throw new CliUsageException($"--max-policy-lag {lag}: allowed: ≥ 0");
            options = options with { Replay = options.Replay with { MaxPolicyLag = lag } };
        }
        if (parse.GetValue(ReportEvery) is { } seconds)
        {
            if (!(seconds > 0)) throw new CliUsageException($"--report-every {seconds}: allowed: > 0 (seconds)");
            options = options with { ReportEvery = TimeSpan.FromSeconds(seconds) };
        }
        return options;
    }

    /// <summary>The value of a --worker-threads option (train, node, cluster up, bench cluster); any other is a usage error.</summary>
    internal static Actors.Rollout.WorkerThreads ParseWorkerThreads(string value) =>
        Actors.Rollout.WorkerThreadsNames.Parse(value)
        ?? throw new CliUsageException($"--worker-threads '{value}': allowed: {Actors.Rollout.WorkerThreadsNames.Allowed}");

    /// <summary>The run directory named by --run-dir, or a fresh one under the configuration's run root.</summary>
    public RunDirectory OpenRun(ParseResult parse, TrainingConfig config, string preset) =>
        parse.GetValue(RunDir) is { } dir
            ? new RunDirectory(dir)
            : RunDirectory.CreateUnder(config.RunRoot, $"{config.Env}-{config.Algo}-{preset}", DateTime.UtcNow);

    /// <summary>The training options as given, to pass on to another process (<c>cluster up</c> → <c>node</c>).</summary>
    public IEnumerable<string> PassOn(ParseResult parse)
    {
        if (parse.GetValue(Config) is { } c) yield return $"--config={c}";
        if (parse.GetValue(Env) is { } e) yield return $"--env={e}";
        if (parse.GetValue(Algo) is { } a) yield return $"--algo={a}";
        yield return $"--preset={parse.GetValue(Preset)}";
        if (parse.GetValue(Seed) is { } s) yield return $"--seed={s.ToString(CultureInfo.InvariantCulture)}";
        if (parse.GetValue(Workers) is { } k) yield return $"--workers={k.ToString(CultureInfo.InvariantCulture)}";
        if (parse.GetValue(EnvsPerWorker) is { } envs) yield return $"--envs-per-worker={envs.ToString(CultureInfo.InvariantCulture)}";
        if (parse.GetValue(WorkerThreads) is { } threads) yield return $"--worker-threads={threads}";
        if (parse.GetValue(MaxPolicyLag) is { } lag) yield return $"--max-policy-lag={lag.ToString(CultureInfo.InvariantCulture)}";
        if (parse.GetValue(ReportEvery) is { } every) yield return $"--report-every={every.ToString(CultureInfo.InvariantCulture)}";
        if (parse.GetValue(WeightTransport) is { } transport) yield return $"--weight-transport={transport}";
        foreach (string pair in parse.GetValue(Set) ?? []) yield return $"--set={pair}";
    }
}

using System.CommandLine;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Configuration;
using RetroAct.Learner.Runs;
using RetroAct.Cli.Training;
using RetroAct.Learner.Serial;

namespace RetroAct.Cli.Commands;

/// <summary>
/// <c>retroact train</c>: imitation stage, then RetroAct RL iterations, evaluating IR/FR/AR after each stage and writing
/// a run directory. Configuration layers: defaults &lt; appsettings.json &lt; --config &lt; RETROACT__* &lt; options.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (keys as in TrainingConfig, e.g. {\"Rl\": {\"Lambda\": 2}})." };
        var env = new Option<string?>("--env") { Description = "Environment: household." };
        var algo = new Option<string?>("--algo") { Description = "retroact (IL + RL, planner and reflector), sft (IL only), sft-rl (IL + RL, planner only)." };
        var preset = new Option<string>("--preset") { Description = "quick (minutes on a laptop), default, paper.", DefaultValueFactory = _ => "default" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the whole run." };
        var runDir = new Option<string?>("--run-dir") { Description = "Directory for this run (default: runs/<time>-<env>-<algo>)." };
        var runtime = new Option<string?>("--runtime")
        {
            Description = "serial (no actors; the default for now) or actors (the same pipeline as actors in one process: " +
                          "dispatcher, rollout workers, policy server, replay buffer, learner).",
        };
        var serial = new Option<bool>("--serial") { Description = "Same as --runtime serial." };
        var workers = new Option<int?>("--workers") { Description = "Rollout workers in the actor runtime (default 4)." };
        var maxPolicyLag = new Option<int?>("--max-policy-lag") { Description = "Actor runtime: drop trajectories more than this many policy versions old (default 4)." };
        var set = new Option<string[]>("--set") { Description = "Override any key: --set Rl:Lambda=2 (repeatable).", AllowMultipleArgumentsPerToken = true };

        var command = new Command("train", "Train a planner and a reflector: imitation learning, then RetroAct off-policy policy gradient.");
        foreach (Option option in new Option[] { config, env, algo, preset, seed, runDir, runtime, serial, workers, maxPolicyLag, set }) command.Options.Add(option);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            string presetName = parse.GetValue(preset)!;
            if (!TrainingConfig.Presets.TryGetValue(presetName, out var presetValues))
                throw new CliUsageException($"--preset '{presetName}': allowed: {string.Join(", ", TrainingConfig.Presets.Keys)}");
            var overrides = new Dictionary<string, string?>(presetValues);
            if (parse.GetValue(env) is { } e) overrides["Env"] = e;
            if (parse.GetValue(algo) is { } a) overrides["Algo"] = a;
            if (parse.GetValue(seed) is { } s) overrides["Seed"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (string pair in parse.GetValue(set) ?? [])
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new CliUsageException($"--set '{pair}': expected Key=Value, e.g. Rl:Lambda=2");
                overrides[pair[..eq]] = pair[(eq + 1)..];
            }

            string runtimeName = parse.GetValue(runtime) ?? "serial";
            if (runtimeName is not ("serial" or "actors")) throw new CliUsageException($"--runtime '{runtimeName}': allowed: serial, actors");
            if (parse.GetValue(serial) && runtimeName != "serial") throw new CliUsageException($"--serial contradicts --runtime {runtimeName}");
            var actorOptions = ActorRuntime.Options(parse.GetValue(workers), parse.GetValue(maxPolicyLag));

            TrainingConfig resolved;
            try { resolved = ConfigLoader.Load<TrainingConfig>(parse.GetValue(config), overrides); }
            catch (ConfigException ce) { throw new CliUsageException(ce.Message); }

            using var run = parse.GetValue(runDir) is { } dir
                ? new RunDirectory(dir)
                : RunDirectory.CreateUnder(resolved.RunRoot, $"{resolved.Env}-{resolved.Algo}-{presetName}", DateTime.UtcNow);
            run.WriteConfig(resolved);
            Console.Error.WriteLine($"run directory: {run.Path}");
            var started = DateTime.UtcNow;
            var suite = TrainingSuites.Create(resolved);
            using var disposeSuite = suite as IDisposable;
            Action<string> report = line => Console.Error.WriteLine($"[{DateTime.UtcNow - started:hh\\:mm\\:ss}] {line}");
            var results = runtimeName == "actors"
                ? new EmbeddedTrainingRuntime(resolved, suite, run, actorOptions, report).Run()
                : new SerialTrainer(resolved, suite, run, report).Run();
            foreach (var r in results)
                Console.WriteLine($"{r.Stage,-10} IR {r.Metrics.Ir:P1}  FR {r.Metrics.Fr:P1}  AR {r.Metrics.Ar:P1}");
            Console.WriteLine($"results, metrics and plots: {run.Path}");
            return 0;
        }));
        return command;
    }
}

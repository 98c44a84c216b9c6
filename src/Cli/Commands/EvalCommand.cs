using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RetroAct.Cli.Training;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Model;
using RetroAct.Learner.Serial;
using RetroAct.Rollout;
using RetroAct.Rollout.Evaluation;

namespace RetroAct.Cli.Commands;

/// <summary><c>retroact eval</c>: a trained agent's IR, FR and AR (greedy) on held-out tasks, overall and per task type.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "An agent checkpoint folder, or a run directory (its latest checkpoint)." };
        var env = new Option<string?>("--env") { Description = "Environment (default: the checkpoint's)." };
        var split = new Option<string>("--split") { Description = "Task split: unseen (held-out floor plans), seen, train.", DefaultValueFactory = _ => "unseen" };
        var games = new Option<int>("--games") { Description = "Number of tasks.", DefaultValueFactory = _ => 100 };
        var trials = new Option<int>("--trials") { Description = "K: trials per task (reflection between failed trials).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of the task set.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (ir, fr, ar, by_trial, by_task_type)." };
        var reflector = new Option<string>("--reflector")
        {
            Description = "Who reflects between trials: trained (the checkpoint's reflector), untrained (a freshly initialised reflector " +
                          "of the same size: the baseline that shows what reflector training adds), none (no reflection; the planner retries).",
            DefaultValueFactory = _ => "trained",
        };
        reflector.AcceptOnlyFromAmong("trained", "untrained", "none");
        var decoding = new Option<string>("--decoding")
        {
            Description = "Greedy decoding: free (any text), admissible (a thought or one of the environment's admissible commands, constrained token by token) " +
                          "or ranked (the most likely of a thought and each whole admissible command, scored by the model).",
            DefaultValueFactory = _ => "free",
        };
        decoding.AcceptOnlyFromAmong("free", "admissible", "ranked");
        var taskType = new Option<string?>("--task-type")
        {
            Description = "Household: evaluate on games of this task type only (e.g. pick_and_place_simple, as a run trained with Data:TaskType); default: all types.",
        };
        var episodesOut = new Option<string?>("--episodes") { Description = "Also write every episode (trials, turns, reflections) to this JSONL file, to read what the agent did." };
        var command = new Command("eval", "Evaluate a trained planner/reflector: IR (trial 1), FR (after the last trial), AR (mean over trials).");
        foreach (Option option in new Option[] { checkpoint, env, split, games, trials, seed, json, reflector, decoding, taskType, episodesOut }) command.Options.Add(option);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            string folder = ResolveCheckpoint(parse.GetValue(checkpoint) ?? throw new CliUsageException("missing --checkpoint DIR"));
            int n = parse.GetValue(games), k = parse.GetValue(trials);
            if (n < 1) throw new CliUsageException($"--games {n}: allowed ≥ 1");
            if (k < 1) throw new CliUsageException($"--trials {k}: allowed ≥ 1");
            var (loaded, tokenizer, info) = AgentCheckpoint.Load(folder);
            string reflectorMode = parse.GetValue(reflector)!;
            if (reflectorMode == "untrained" && loaded.Sharing != RoleSharing.TwoModels)
            {
                loaded.Dispose();
                throw new CliUsageException($"--reflector untrained needs a checkpoint with two models; this one's roles share one model ({loaded.Sharing})");
            }
            using var untrainedReflector = reflectorMode == "untrained"
                ? new LlamaForCausalLM(loaded.Reflector.Config, loaded.Reflector.Device, seed: 1_000_003L * parse.GetValue(seed) + 17)
                : null;
            using (loaded)
            {
                var models = untrainedReflector is null ? loaded : new AgentModels(loaded.Planner, untrainedReflector, RoleSharing.TwoModels);
                var config = new TrainingConfig { Env = parse.GetValue(env) ?? info.Env };
                config.Agent.MaxTurnsPerTrial = info.MaxTurnsPerTrial;
                config.Data.TaskType = parse.GetValue(taskType) ?? "";
                if (config.Validate().FirstOrDefault() is { } problem) throw new CliUsageException(problem);
                var suite = TrainingSuites.Create(config);
                using var disposeSuite = suite as IDisposable;
                string splitName = parse.GetValue(split)!;
                var tasks = Enumerable.Range(0, n).Select(i => suite.Task(splitName, parse.GetValue(seed), i)).ToList();
                if (reflectorMode != "none" && !info.UseReflector)
                    throw new CliUsageException($"--reflector {reflectorMode}: this checkpoint ({info.Stage}) was trained without a reflector; use --reflector none");
                var settings = new EvaluationSettings(k, info.MaxTurnsPerTrial, info.MemorySize, info.HistoryWindow, reflectorMode != "none",
                    info.PlannerMaxTokens, info.ReflectorMaxTokens, Batch: 16, Seed: parse.GetValue(seed),
                    AdmissibleOnly: parse.GetValue(decoding) == "admissible", RankAdmissible: parse.GetValue(decoding) == "ranked");
                Console.Error.WriteLine($"evaluating {folder} ({info.Stage}, policy version {info.PolicyVersion}) on {n} {splitName} tasks × {k} trials, reflector: {reflectorMode}");
                var result = AgentEvaluator.Evaluate(suite, models, tokenizer, tasks, settings,
                    progress: new EpisodeProgress(tasks.Count, "evaluated", Console.Error.WriteLine));
                if (parse.GetValue(episodesOut) is { } episodesFile) WriteEpisodes(episodesFile, result.Episodes);
                if (parse.GetValue(json)) Console.WriteLine(ToJson(folder, info, splitName, n, k, reflectorMode, parse.GetValue(decoding)!, result));
                else Print(result);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A run directory resolves to its latest checkpoint (checkpoints/latest.txt).</summary>
    private static string ResolveCheckpoint(string path)
    {
        if (File.Exists(Path.Combine(path, AgentCheckpoint.InfoFile))) return path;
        string latest = Path.Combine(path, "checkpoints", "latest.txt");
        if (File.Exists(latest)) return Path.Combine(path, "checkpoints", File.ReadAllText(latest).Trim());
        throw new CliUsageException($"'{path}' is neither an agent checkpoint (no {AgentCheckpoint.InfoFile}) nor a run directory (no checkpoints/latest.txt)");
    }

    private static Dictionary<string, object> Fields(TrialMetrics m) => new()
    {
        ["games"] = m.Episodes,
        ["ir"] = Math.Round(m.Ir, 4),
        ["fr"] = Math.Round(m.Fr, 4),
        ["ar"] = Math.Round(m.Ar, 4),
    };

    private static string ToJson(string folder, AgentCheckpointInfo info, string split, int games, int trials, string reflector, string decoding, EvaluationResult result)
    {
        var o = Fields(result.Overall);
        o["checkpoint"] = folder;
        o["stage"] = info.Stage;
        o["env"] = info.Env;
        o["split"] = split;
        o["trials"] = trials;
        o["reflector"] = reflector;
        o["decoding"] = decoding;
        o["games"] = games;
        o["by_trial"] = result.Overall.ByTrial.Select(x => Math.Round(x, 4)).ToArray();
        o["by_task_type"] = result.ByKind.ToDictionary(p => p.Key, p => Fields(p.Value));
        return JsonSerializer.Serialize(o);
    }

    private static void WriteEpisodes(string path, IReadOnlyList<Core.Trajectories.Episode> episodes)
    {
        File.WriteAllLines(path, episodes.Select(EpisodeJson.ToJsonLine));
        Console.Error.WriteLine($"episodes: {path}");
    }

    private static void Print(EvaluationResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{"",-34} {"games",6} {"IR",7} {"FR",7} {"AR",7}"));
        foreach (var (kind, m) in result.ByKind.Append(new KeyValuePair<string, TrialMetrics>("all", result.Overall)))
            Console.WriteLine(string.Create(inv, $"{kind,-34} {m.Episodes,6} {m.Ir,7:P1} {m.Fr,7:P1} {m.Ar,7:P1}"));
        Console.WriteLine("by trial: " + string.Join(" ", result.Overall.ByTrial.Select(x => x.ToString("P0", inv))));
    }
}

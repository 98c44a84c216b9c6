using System.CommandLine;
using System.Text.Json;
using RetroAct.Cli.Training;
using RetroAct.Learner.Serial;
using RetroAct.Rollout.Imitation;

namespace RetroAct.Cli.Commands;

/// <summary><c>retroact data il-generate | export</c>: imitation data from the expert and the reflection oracle.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Generate and export imitation-learning data.");
        data.Subcommands.Add(Generate());
        data.Subcommands.Add(Export());
        return data;
    }

    private static Command Generate()
    {
        var env = new Option<string>("--env") { Description = "Environment: household, wikiqa, sql, or remote (with --remote-address and --remote-env).", DefaultValueFactory = _ => "household" };
        var remoteAddress = new Option<string?>("--remote-address") { Description = "remote: the environment server's address (retroact env serve), e.g. http://127.0.0.1:50051." };
        var remoteEnv = new Option<string?>("--remote-env") { Description = "remote: the environment the server hosts (household, wikiqa, sql)." };
        var tasks = new Option<int>("--tasks") { Description = "Training tasks the expert plays.", DefaultValueFactory = _ => 400 };
        var maxTurns = new Option<int>("--max-turns") { Description = "The expert's turn budget per trial (tight: some trials fail and get reflections).", DefaultValueFactory = _ => 20 };
        var trials = new Option<int>("--trials") { Description = "Trials per task.", DefaultValueFactory = _ => 3 };
        var memory = new Option<int>("--memory") { Description = "M: reflections in the planner's prompt.", DefaultValueFactory = _ => 3 };
        var window = new Option<int>("--history-window") { Description = "Past turns in the planner's prompt.", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the task set.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Output JSONL file (one example per line)." };
        var thoughts = new Option<bool>("--expert-thoughts") { Description = "household: the expert writes ReAct-style think: lines (plan, search order, milestones)." };
        var command = new Command("il-generate", "Run the expert and the reflection oracle over multi-trial episodes and keep what the evaluator accepts, as JSONL.");
        foreach (Option option in new Option[] { env, remoteAddress, remoteEnv, tasks, maxTurns, trials, memory, window, seed, output, thoughts }) command.Options.Add(option);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            string file = parse.GetValue(output) ?? throw new CliUsageException("missing --out FILE");
            var config = new TrainingConfig { Env = parse.GetValue(env)! };
            config.Agent.MaxTurnsPerTrial = parse.GetValue(maxTurns);
            config.Data.ExpertThoughts = parse.GetValue(thoughts);
            if (parse.GetValue(remoteAddress) is { } address) config.Remote.Address = address;
            if (parse.GetValue(remoteEnv) is { } hosted) config.Remote.Env = hosted;
            if (config.Validate().FirstOrDefault() is { } problem) throw new CliUsageException(problem);
            int n = parse.GetValue(tasks);
            if (n < 1) throw new CliUsageException($"--tasks {n}: allowed ≥ 1");
            var settings = new ImitationDataSettings(n, parse.GetValue(maxTurns), parse.GetValue(trials), parse.GetValue(memory), parse.GetValue(window), parse.GetValue(seed));
            int every = Math.Max(1, n / 10);
            var suite = TrainingSuites.Create(config);
            using var disposeSuite = suite as IDisposable;
            var examples = ImitationDataGenerator.Generate(suite, settings,
                new InlineProgress(done => { if (done % every == 0) Console.Error.WriteLine($"{done}/{n} tasks"); }));
            File.WriteAllLines(file, examples.Select(e => e.ToJsonLine()));
            int reflections = examples.Count(e => e.Role == ImitationExample.ReflectorRole);
            Console.WriteLine($"{file}: {examples.Count - reflections} planner examples, {reflections} reflector examples from {n} tasks");
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var input = new Option<string?>("--in") { Description = "Imitation data (JSONL from il-generate)." };
        var format = new Option<string>("--format") { Description = "jsonl (as is) or alpaca (the RetroAct code's instruction/input/output/type JSON).", DefaultValueFactory = _ => "alpaca" };
        var output = new Option<string?>("--out") { Description = "Output file." };
        var command = new Command("export", "Convert imitation data to another format.");
        foreach (Option option in new Option[] { input, format, output }) command.Options.Add(option);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            string from = parse.GetValue(input) ?? throw new CliUsageException("missing --in FILE");
            string to = parse.GetValue(output) ?? throw new CliUsageException("missing --out FILE");
            if (!File.Exists(from)) throw new CliUsageException($"input file not found: {from}");
            var examples = File.ReadLines(from).Select((line, i) => (line, i))
                .Where(p => p.line.Length > 0)
                .Select(p => ImitationExample.FromJsonLine(p.line, p.i + 1)).ToList();
            switch (parse.GetValue(format))
            {
                case "jsonl": File.WriteAllLines(to, examples.Select(e => e.ToJsonLine())); break;
                case "alpaca": File.WriteAllText(to, JsonSerializer.Serialize(examples.Select(e => e.ToAlpaca()), new JsonSerializerOptions { WriteIndented = true })); break;
                case var other: throw new CliUsageException($"--format '{other}': allowed: jsonl, alpaca");
            }
            Console.WriteLine($"{to}: {examples.Count} examples");
            return 0;
        }));
        return command;
    }

    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

using System.Text.Json;

namespace RetroAct.Cli.Tests;

/// <summary>The training commands end to end at a tiny budget: data generation, train, eval.</summary>
[Collection("Console")]
public sealed class TrainingCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("household", 10)]
    [InlineData("wikiqa", 10)]
    [InlineData("sql", 10)]
    public void ImitationDataIsGeneratedAndExported(string env, int tasks)
    {
        string jsonl = Path.Combine(_dir, $"{env}.jsonl"), alpaca = Path.Combine(_dir, $"{env}.json");
        var (code, output, error) = EnvReplayCommandTests.Invoke(["data", "il-generate", "--env", env, "--tasks", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", jsonl]);
        Assert.True(code == 0, error);
        Assert.Contains("planner examples", output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(jsonl);
        Assert.True(lines.Length >= tasks, $"{lines.Length} examples from {tasks} {env} tasks");
        Assert.All(lines, line => Assert.Equal(env, JsonDocument.Parse(line).RootElement.GetProperty("task").GetString()!.Split('/')[0]));

        (code, _, error) = EnvReplayCommandTests.Invoke(["data", "export", "--in", jsonl, "--format", "alpaca", "--out", alpaca]);
        Assert.True(code == 0, error);
        using var exported = JsonDocument.Parse(File.ReadAllText(alpaca));
        Assert.Equal(lines.Length, exported.RootElement.GetArrayLength());
        Assert.Equal("planner", exported.RootElement[0].GetProperty("type").GetString());
    }

    private static (int Code, string Out, string Err) TinyTrain(string run, int seed, params string[] extra) =>
        EnvReplayCommandTests.Invoke(["train", "--serial", "--preset", "quick", "--run-dir", run, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=2", "--set", "Agent:Trials=2", "--set", "Agent:MaxTurnsPerTrial=4",
            "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
            "--set", "Imitation:Epochs=1", "--set", "Rl:TasksPerIteration=2", .. extra]);

    [Fact]
    public void ARunCanStartFromAnotherRunsImitationCheckpoint()
    {
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second");
        Assert.Equal(0, TinyTrain(first, seed: 7).Code);
        string imitation = Path.Combine(first, "checkpoints", "imitation");
        var (code, _, error) = TinyTrain(second, seed: 7, "--set", $"Imitation:InitFrom={imitation}");
        Assert.True(code == 0, error);
        Assert.Contains("imitation stage loaded from", error, StringComparison.Ordinal);

        // No imitation step ran; the loaded weights are saved unchanged as this run's imitation checkpoint and,
        // evaluated with the same seed and settings, score exactly as in the first run; RL then continues from them.
        Assert.DoesNotContain(File.ReadLines(Path.Combine(second, "metrics.jsonl")), l => l.Contains("\"stage\":\"il\"", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Path.Combine(imitation, "planner", "model.safetensors")),
                     File.ReadAllBytes(Path.Combine(second, "checkpoints", "imitation", "planner", "model.safetensors")));
        static JsonElement Stage(string run, string stage) =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))).RootElement.EnumerateArray()
                .Single(e => e.GetProperty("Stage").GetString() == stage);
        Assert.Equal(Stage(first, "imitation").GetRawText(), Stage(second, "imitation").GetRawText());
        Assert.Equal("rl-1", File.ReadAllText(Path.Combine(second, "checkpoints", "latest.txt")).Trim());

        // A folder that is not a checkpoint is refused at start-up, and a checkpoint of another shape is named.
        (code, _, error) = TinyTrain(Path.Combine(_dir, "bad1"), seed: 7, "--set", $"Imitation:InitFrom={first}");
        Assert.Equal(2, code);
        Assert.Contains("Imitation:InitFrom", error, StringComparison.Ordinal);
        Assert.Contains("agent.json missing", error, StringComparison.Ordinal);
        (code, _, error) = TinyTrain(Path.Combine(_dir, "bad2"), seed: 7, "--set", $"Imitation:InitFrom={imitation}", "--set", "Model:ContextLength=256");
        Assert.NotEqual(0, code);
        Assert.Contains("Model:ContextLength 256", error, StringComparison.Ordinal);
    }

    /// <summary>Every metric of a run except wall-clock time, in order.</summary>
    private static List<string> MetricValues(string run) =>
        File.ReadLines(Path.Combine(run, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => string.Join(",", e.EnumerateObject().Where(p => p.Name != "time").Select(p => $"{p.Name}={p.Value}")))
            .ToList();

    [Fact]
    public void SerialRunsWithOneSeedReproduceTheirMetricsExactly()
    {
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second");
        Assert.Equal(0, TinyTrain(first, seed: 7).Code);
        Assert.Equal(0, TinyTrain(second, seed: 7).Code);

        Assert.Equal(MetricValues(first), MetricValues(second)); // losses, gradient norms, learning rates, IR/FR/AR
        Assert.Equal(File.ReadAllText(Path.Combine(first, "evaluation.json")), File.ReadAllText(Path.Combine(second, "evaluation.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "checkpoints", "rl-1", "planner", "model.safetensors")),
                     File.ReadAllBytes(Path.Combine(second, "checkpoints", "rl-1", "planner", "model.safetensors")));
    }

    [Fact]
    public void TrainWritesARunDirectoryWhoseCheckpointEvaluates()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output, error) = TinyTrain(run, seed: 3);
        Assert.True(code == 0, error);
        Assert.Contains("imitation ", output, StringComparison.Ordinal);
        foreach (string file in new[] { "config.json", "metrics.jsonl", "imitation.jsonl", "evaluation.json", "episodes-imitation.jsonl", "episodes-rl-1.jsonl", "plots/reward_per_trial.png", "checkpoints/latest.txt" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing from the run directory");
        Assert.Equal("rl-1", File.ReadAllText(Path.Combine(run, "checkpoints", "latest.txt")).Trim());
        Assert.Contains(File.ReadLines(Path.Combine(run, "metrics.jsonl")), l => l.Contains("\"stage\":\"il\"", StringComparison.Ordinal));

        (code, output, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--trials", "2", "--json"]);
        Assert.True(code == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("rl-1", result.GetProperty("stage").GetString());
        Assert.Equal(2, result.GetProperty("by_trial").GetArrayLength());
        Assert.InRange(result.GetProperty("ir").GetDouble(), 0, result.GetProperty("fr").GetDouble());
        Assert.Equal("trained", result.GetProperty("reflector").GetString());

        // The baselines of the reflector: a freshly initialised one, and none at all.
        foreach (string mode in new[] { "untrained", "none" })
        {
            string episodes = Path.Combine(_dir, mode + ".jsonl");
            (code, output, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--trials", "2", "--json", "--reflector", mode, "--episodes", episodes]);
            Assert.True(code == 0, error);
            Assert.Equal(mode, JsonDocument.Parse(output).RootElement.GetProperty("reflector").GetString());
            var written = File.ReadAllLines(episodes).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(2, written.Count);
            Assert.All(written, e => Assert.True(e.GetProperty("trials").GetArrayLength() >= 1));
            if (mode == "none") Assert.All(written, e => Assert.Equal(0, e.GetProperty("reflections").GetArrayLength()));
        }
        // Admissible decoding (its behaviour is tested in AdmissibleDecodingTests): chosen by flag and reported.
        (code, output, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--trials", "1", "--json", "--reflector", "none", "--decoding", "admissible"]);
        Assert.True(code == 0, error);
        Assert.Equal("admissible", JsonDocument.Parse(output).RootElement.GetProperty("decoding").GetString());
        (code, output, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--trials", "1", "--json", "--reflector", "none", "--decoding", "ranked"]);
        Assert.True(code == 0, error);
        Assert.Equal("ranked", JsonDocument.Parse(output).RootElement.GetProperty("decoding").GetString());
        (code, _, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--decoding", "beam"]);
        Assert.NotEqual(0, code);

        (code, _, error) = EnvReplayCommandTests.Invoke(["eval", "--checkpoint", run, "--games", "2", "--reflector", "oracle"]);
        Assert.NotEqual(0, code);
        Assert.Contains("oracle", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTrainingConfigurationIsNamed()
    {
        var (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", Path.Combine(_dir, "bad"), "--set", "Rl:Epsilon=1.5", "--set", "Agent:Trails=3"]);
        Assert.Equal(2, code);
        Assert.Contains("Trails", error, StringComparison.Ordinal);
        foreach (var (setting, message) in new[]
                 {
                     ("Rl:Epsilon=1.5", "Rl:Epsilon = 1.5; allowed: 0 < ε < 1"),
                     ("Rl:Decoding=constrained", "Rl:Decoding = 'constrained'; allowed: free, admissible"),
                     ("Data:FoundThoughts=false", "Data:FoundThoughts = false needs Data:ExpertThoughts = true"),
                     ("Rl:KeepCheckpoints=-1", "Rl:KeepCheckpoints = -1; allowed: ≥ 0 (0 keeps every RL checkpoint)"),
                 })
        {
            (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", Path.Combine(_dir, "bad"), "--set", setting]);
            Assert.Equal(2, code);
            Assert.Contains(message, error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")), "a run directory was created for an invalid configuration");
    }

    [Fact]
    public void OnlyTheNewestRlCheckpointsAreKept()
    {
        string run = Path.Combine(_dir, "keep");
        var (code, _, error) = TinyTrain(run, seed: 6, "--set", "Rl:Iterations=3", "--set", "Rl:KeepCheckpoints=1");
        Assert.True(code == 0, error);
        Assert.Equal(["imitation", "rl-3"], Directory.GetDirectories(Path.Combine(run, "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("(deleted rl-1: Rl:KeepCheckpoints = 1)", error, StringComparison.Ordinal);
        Assert.Contains("(deleted rl-2: Rl:KeepCheckpoints = 1)", error, StringComparison.Ordinal);
        // Every stage was still evaluated and recorded.
        string evaluation = File.ReadAllText(Path.Combine(run, "evaluation.json"));
        foreach (string stage in new[] { "imitation", "rl-1", "rl-2", "rl-3" }) Assert.Contains($"\"{stage}\"", evaluation, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLoraRoleAdaptersTheSerialRlStageChangesTheAdaptersAndNotTheBase()
    {
        string run = Path.Combine(_dir, "lora");
        var (code, _, error) = TinyTrain(run, seed: 4, "--set", "Model:Sharing=LoraAdapters", "--set", "Rl:Iterations=1",
            "--set", "Rl:DropZeroRewardPlannerSamples=false");
        Assert.True(code == 0, error);
        string imitation = Path.Combine(run, "checkpoints", "imitation"), rl = Path.Combine(run, "checkpoints", "rl-1");
        Assert.Equal(File.ReadAllBytes(Path.Combine(imitation, "base", "model.safetensors")), File.ReadAllBytes(Path.Combine(rl, "base", "model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(imitation, "adapters", "planner.safetensors")),
                        File.ReadAllBytes(Path.Combine(rl, "adapters", "planner.safetensors")));

        (code, _, error) = TinyTrain(Path.Combine(_dir, "bad-lora"), seed: 4, "--set", "Model:Sharing=LoraAdapters", "--set", "Model:LoraRank=0");
        Assert.Equal(2, code);
        Assert.Contains("Model:LoraRank = 0; allowed: ≥ 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ATrainingRunServesItsDashboardWhenAskedAndABadDashboardPortIsNamed()
    {
        var (code, _, error) = TinyTrain(Path.Combine(_dir, "dashboard"), seed: 3, "--set", "Rl:Iterations=0", "--dashboard-port", "0");
        Assert.True(code == 0, error);
        Assert.Matches(@"dashboard: http://127\.0\.0\.1:\d+/", error);

        string bad = Path.Combine(_dir, "bad-dashboard");
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", bad, "--dashboard-port", "70000"]);
        Assert.Equal(2, code);
        Assert.Contains("--dashboard-port 70000: allowed: 0..65535", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "seed,dashboard", "--dashboard-port", "-1"]);
        Assert.Equal(2, code);
        Assert.Contains("--dashboard-port -1: allowed: 0..65535", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["cluster", "up", "--rollout-nodes", "1", "--state", Path.Combine(_dir, "c.json"), "--dashboard-port", "0"]);
        Assert.Equal(2, code);
        Assert.Contains("--dashboard-port 0: allowed: 1..65535 (or --no-dashboard)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bad), "a run directory was created for an invalid configuration");
    }

    [Fact]
    public void BadWeightTransportOrWeightsPortIsNamed()
    {
        string bad = Path.Combine(_dir, "bad-transport");
        var (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "learner", "--run-dir", bad, "--weight-transport", "udp"]);
        Assert.Equal(2, code);
        Assert.Contains("Cluster:WeightTransport = 'udp'; allowed: tcp, grpc, akka", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", bad, "--set", "Cluster:WeightTransport=GRPC"]);
        Assert.Equal(2, code);
        Assert.Contains("Cluster:WeightTransport = 'GRPC'; allowed: tcp, grpc, akka", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "learner", "--run-dir", bad, "--weights-port", "70000"]);
        Assert.Equal(2, code);
        Assert.Contains("--weights-port 70000: allowed: 0..65535", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bad), "a run directory was created for an invalid configuration");
    }

    [Fact]
    public void DataTaskTypeRestrictsEveryGameAndABadOneIsNamed()
    {
        var suite = new RetroAct.Cli.Training.HouseholdTrainingSuite(20, taskType: "pick_heat_then_place_in_recep");
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal("pick_heat_then_place_in_recep", suite.TaskKind(suite.Task("unseen", 3, i))));
        var mixed = new RetroAct.Cli.Training.HouseholdTrainingSuite(20);
        Assert.True(Enumerable.Range(0, 30).Select(i => mixed.TaskKind(mixed.Task("unseen", 3, i))).Distinct().Count() > 1);

        string bad = Path.Combine(_dir, "bad-type");
        var (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", bad, "--set", "Data:TaskType=pick_and_juggle"]);
        Assert.Equal(2, code);
        Assert.Contains("Data:TaskType = 'pick_and_juggle'; allowed: empty (all types) or one of pick_and_place_simple", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--run-dir", bad, "--set", "Env=wikiqa", "--set", "Data:TaskType=pick_and_place_simple"]);
        Assert.Equal(2, code);
        Assert.Contains("Data:TaskType = 'pick_and_place_simple' needs Env = household", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bad), "a run directory was created for an invalid configuration");
    }
}

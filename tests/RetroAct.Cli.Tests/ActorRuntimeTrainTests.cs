using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RetroAct.Cli.Tests;

/// <summary><c>retroact train --runtime actors</c> end to end at a tiny budget: the embedded actor system with every role.</summary>
[Collection("Console")]
public sealed class ActorRuntimeTrainTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-cli-actors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheActorRuntimeWritesARunDirectoryWithIncreasingPolicyVersions()
    {
        string run = Path.Combine(_dir, "run");
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = EnvReplayCommandTests.Invoke(["train", "--runtime", "actors", "--workers", "2", "--preset", "quick", "--run-dir", run,
            "--seed", "5", "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=2", "--set", "Agent:Trials=2", "--set", "Agent:MaxTurnsPerTrial=4",
            "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
            "--set", "Imitation:Epochs=1", "--set", "Rl:Iterations=2", "--set", "Rl:TasksPerIteration=2",
            // Keep zero-reward samples so a tiny untrained agent still takes RetroAct steps (R = 0: only the IL term moves the weights).
            "--set", "Rl:DropZeroRewardPlannerSamples=false"]);
        output.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(stderr);
        Assert.True(code == 0, stderr);
        Assert.Contains("rl-2", stdout, StringComparison.Ordinal);

        foreach (string file in new[] { "config.json", "metrics.jsonl", "imitation.jsonl", "evaluation.json", "plots/reward_per_trial.png",
                                        "checkpoints/imitation/agent.json", "checkpoints/rl-1/agent.json", "checkpoints/rl-2/agent.json", "replay/replay.wal",
                                        "episodes-imitation.jsonl", "episodes-rl-1.jsonl", "episodes-rl-2.jsonl" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"{file} missing from the run directory");
        Assert.Equal("rl-2", File.ReadAllText(Path.Combine(run, "checkpoints", "latest.txt")).Trim());
        using (var agent = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "rl-2", "agent.json"))))
            Assert.Equal(2, agent.RootElement.GetProperty("PolicyVersion").GetInt64());

        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "episodes-rl-2.jsonl")).Length); // one line per evaluated episode, as the serial driver writes
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        Assert.Equal(["imitation", "rl-1", "rl-2"], evaluation.RootElement.EnumerateArray().Select(e => e.GetProperty("Stage").GetString()!).ToList());

        var metrics = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string Stage(JsonElement e) => e.GetProperty("stage").GetString()!;
        // One update per policy version: 1 then 2; each optimiser step logs the version it trained.
        Assert.Equal([1.0, 2.0], metrics.Where(e => Stage(e) == "update").Select(e => e.GetProperty("policy_version").GetDouble()).ToList());
        var trainedAt = metrics.Where(e => Stage(e) == "rl").Select(e => e.GetProperty("policy_version").GetDouble()).ToList();
        Assert.Equal([0.0, 1.0], trainedAt.Distinct().ToList());
        Assert.Equal([1.0, 2.0], metrics.Where(e => Stage(e) == "eval" && e.TryGetProperty("policy_version", out _))
            .Select(e => e.GetProperty("policy_version").GetDouble()).ToList());
        // Trajectories carry the version of the policy that generated them.
        var collected = metrics.Where(e => Stage(e) == "collect" && e.TryGetProperty("newest_policy_version", out _)).ToList();
        Assert.Equal(2, collected.Count);
        Assert.All(collected, e => Assert.InRange(e.GetProperty("newest_policy_version").GetDouble(), 0, 1));
        Assert.All(collected, e => Assert.Equal(2, e.GetProperty("episodes").GetDouble()));
    }

    [Fact]
    public void AnUnknownRuntimeIsNamed()
    {
        var (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--runtime", "gpu-farm", "--run-dir", Path.Combine(_dir, "bad")]);
        Assert.Equal(2, code);
        Assert.Contains("--runtime 'gpu-farm': allowed: actors, serial", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--runtime", "actors", "--serial", "--run-dir", Path.Combine(_dir, "bad")]);
        Assert.Equal(2, code);
        Assert.Contains("--serial contradicts --runtime actors", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--runtime", "actors", "--worker-threads", "many", "--run-dir", Path.Combine(_dir, "bad")]);
        Assert.Equal(2, code);
        Assert.Contains("--worker-threads 'many': allowed: compute, pool", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WithLoraRoleAdaptersTheRlVersionsAreAdaptersOnlyAndReachThePolicyServer()
    {
        string run = Path.Combine(_dir, "lora");
        // Workers on the thread pool here (the other runs keep the default, the compute thread): both placements train end to end.
        var (code, _, stderr) = EnvReplayCommandTests.Invoke(["train", "--runtime", "actors", "--workers", "2", "--worker-threads", "pool", "--preset", "quick", "--run-dir", run,
            "--seed", "5", "--set", "Model:Sharing=LoraAdapters", "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=1", "--set", "Agent:Trials=1",
            "--set", "Agent:MaxTurnsPerTrial=3", "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
            "--set", "Imitation:Epochs=1", "--set", "Rl:Iterations=3", "--set", "Rl:TasksPerIteration=2", "--set", "Rl:DropZeroRewardPlannerSamples=false"]);
        Assert.True(code == 0, stderr);

        // The imitation checkpoint holds the base and both adapters; every version the learner published is adapters-only,
        // a small fraction of the base, and the policy server installed each (checksums as published).
        string imitation = Path.Combine(run, "checkpoints", "imitation");
        long baseBytes = new FileInfo(Path.Combine(imitation, "base", "model.safetensors")).Length;
        Assert.True(File.Exists(Path.Combine(imitation, "adapters", "planner.safetensors")));
        var published = RetroAct.Actors.Journals.JsonlJournal.Read<RetroAct.Actors.Journals.PublishedWeights>(Path.Combine(run, "learner", "published.jsonl"));
        Assert.Equal([0L, 1L, 2L, 3L], published.Select(p => p.Version).ToList());
        Assert.All(published, p => Assert.True(p.Bytes * 10 < baseBytes, $"version {p.Version}: {p.Bytes:N0} B against a {baseBytes:N0} B base"));
        var installed = RetroAct.Actors.Journals.JsonlJournal.Read<RetroAct.Actors.Journals.InstalledWeights>(Path.Combine(run, "nodes", "local", "weights.jsonl"));
        // The last version is published just before the final evaluation, when nothing collects any more: the
        // server may stop before it pulls that one. Whatever it installed is exactly what was published.
        Assert.NotEmpty(installed);
        Assert.All(installed, i => Assert.Contains((i.Version, i.Checksum), published.Select(p => (p.Version, p.Checksum))));
        Assert.Contains("LoRA adapters only", stderr, StringComparison.Ordinal);
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        Assert.Equal(["imitation", "rl-1", "rl-2", "rl-3"], evaluation.RootElement.EnumerateArray().Select(e => e.GetProperty("Stage").GetString()!).ToList());
    }

    [Fact]
    public void ResumeContinuesFromTheLatestCheckpointAtTheNextVersion()
    {
        string run = Path.Combine(_dir, "resume");
        string[] Tiny(int iterations) => ["train", "--runtime", "actors", "--workers", "2", "--preset", "quick", "--run-dir", run, "--seed", "5",
            "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=1", "--set", "Agent:Trials=1", "--set", "Agent:MaxTurnsPerTrial=3",
            "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
            "--set", "Imitation:Epochs=1", "--set", $"Rl:Iterations={iterations}", "--set", "Rl:TasksPerIteration=2"];
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = EnvReplayCommandTests.Invoke(Tiny(1));
        Assert.True(code == 0, stderr);
        // The same run, now with two iterations: the learner starts from rl-1 (no imitation stage) and makes version 2.
        (code, _, stderr) = EnvReplayCommandTests.Invoke([.. Tiny(2), "--resume"]);
        output.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(code == 0, stderr);
        Assert.Contains("resuming from checkpoint", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("imitation epoch", stderr.Split("resuming from checkpoint")[1], StringComparison.Ordinal);
        Assert.Equal("rl-2", File.ReadAllText(Path.Combine(run, "checkpoints", "latest.txt")).Trim());
        var published = RetroAct.Actors.Journals.JsonlJournal.Read<RetroAct.Actors.Journals.PublishedWeights>(Path.Combine(run, "learner", "published.jsonl"));
        Assert.Equal([(0L, 0L, false), (1L, 0L, false), (1L, 1L, true), (2L, 1L, true)], published.Select(p => (p.Version, p.Epoch, p.Resumed)).ToList());
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "rl-2", "learner-state.json")));
        Assert.Equal(2, state.RootElement.GetProperty("PolicyVersion").GetInt64());
        Assert.Equal(1, state.RootElement.GetProperty("Epoch").GetInt64());
        // The stages evaluated before the resume stay in evaluation.json.
        string evaluation = Path.Combine(run, "evaluation.json");
        static List<string?> Stages(string path) =>
            [.. JsonDocument.Parse(File.ReadAllText(path)).RootElement.EnumerateArray().Select(e => e.GetProperty("Stage").GetString())];
        Assert.Equal(["imitation", "rl-1", "rl-2"], Stages(evaluation));

        // Resuming a finished run trains nothing and loses nothing (a restarted container does this).
        byte[] before = File.ReadAllBytes(evaluation);
        (code, _, stderr) = EnvReplayCommandTests.Invoke([.. Tiny(2), "--resume"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("the run already finished its 2 RL iterations", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(evaluation));
    }
}

using System.Diagnostics;
using System.Text.Json;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Replay;
using RetroAct.Cli.Cluster;
using Xunit.Abstractions;

namespace RetroAct.Cli.Tests;

/// <summary>
/// The distributed runtime under faults, with real `retroact node` processes on 127.0.0.1 (no mocks) at a tiny
/// budget: two rollout nodes receiving every policy version, a rollout node killed (kill -9) and restarted, the
/// learner (+ replay) killed and resumed with a torn write-ahead log. The nodes' own records are the evidence:
/// RUN/nodes/HOST-PORT/{weights,acks}.jsonl (rollout side), RUN/learner/published.jsonl, the replay's write-ahead log
/// (read without changing it), metrics.jsonl (dispatcher counters, learner collect statistics) and the node logs.
/// </summary>
[Collection("Console")]
public sealed class ClusterFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-cli-faults-").FullName;
    private readonly List<int> _pids = [];

    private string Run => Path.Combine(_dir, "run");

    public void Dispose()
    {
        foreach (int pid in _pids) Kill(pid); // never leave processes behind
        // Keep the last run's logs and records for a look after a failure (RETROACT_KEEP_FAULT_RUNS=DIR).
        if (Environment.GetEnvironmentVariable("RETROACT_KEEP_FAULT_RUNS") is { Length: > 0 } keep && Directory.Exists(Run))
        {
            string target = Path.Combine(keep, Path.GetFileName(_dir));
            foreach (string file in Directory.EnumerateFiles(Run, "*", SearchOption.AllDirectories)
                         .Where(f => f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)))
            {
                string copy = Path.Combine(target, Path.GetRelativePath(Run, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        }
        Directory.Delete(_dir, recursive: true);
    }

    private static string[] Training(int iterations, int maxPolicyLag = 2) =>
    [
        // Two workers of one environment per node, each asking for one lease at a time: with a worker of several
        // environments asking for all its leases at once, the first node to ask took both tasks of an iteration and
        // the other acked nothing (once in CI with one worker of two).
        // On the thread pool: on the compute thread a worker's lease request waits behind its node's weight install, and
        // with two tasks per iteration the other node took both (the kill test then found the victim holding no lease:
        // once in CI). Where workers run does not change what these tests check: leases, acks, versions, resume.
        "--preset", "quick", "--seed", "5", "--report-every", "1", "--workers", "2", "--envs-per-worker", "1", "--worker-threads", "pool",
        "--max-policy-lag", $"{maxPolicyLag}",
        "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=1", "--set", "Agent:Trials=1", "--set", "Agent:MaxTurnsPerTrial=3",
        "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
        "--set", "Imitation:Epochs=1", "--set", $"Rl:Iterations={iterations}", "--set", "Rl:TasksPerIteration=2",
        // Zero-reward samples kept: every update changes the weights, so every version has its own checksum.
        "--set", "Rl:DropZeroRewardPlannerSamples=false",
    ];

    private string Seed(int basePort) => $"akka.tcp://retroact@127.0.0.1:{basePort}";

    private string[] NodeArguments(string roles, int port, int basePort, int iterations, params string[] extra)
    {
        var arguments = new List<string> { "node", "--roles", roles, "--host", "127.0.0.1", "--port", $"{port}", "--seeds", Seed(basePort), "--down-after", "2" };
        if (roles != "seed") arguments.AddRange(["--run-dir", Run, .. Training(iterations)]);
        arguments.AddRange(extra);
        return [.. arguments];
    }

    private int Start(string name, string[] arguments)
    {
        int pid = LocalClusterLauncher.Start(arguments, Log(name));
        _pids.Add(pid);
        return pid;
    }

    private string Log(string name) => Path.Combine(Run, "logs", $"{name}.log");

    private string ReadLog(string name) => File.Exists(Log(name)) ? ReadShared(Log(name)) : "";

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL: no CoordinatedShutdown, no flushing, no leaving
            process.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private IReadOnlyList<PublishedWeights> Published() => JsonlJournal.Read<PublishedWeights>(Path.Combine(Run, "learner", "published.jsonl"));

    private IReadOnlyList<InstalledWeights> Installed(int port) =>
        JsonlJournal.Read<InstalledWeights>(Path.Combine(RolloutJournal.Folder(Run, $"127.0.0.1-{port}"), RolloutJournal.WeightsFile));

    private IReadOnlyList<AckedTrajectory> Acked(int port) =>
        JsonlJournal.Read<AckedTrajectory>(Path.Combine(RolloutJournal.Folder(Run, $"127.0.0.1-{port}"), RolloutJournal.AcksFile));

    /// <summary>The leases a rollout node's journal shows it holding: received, and neither acked nor given back.</summary>
    private IReadOnlyList<LeaseEvent> HeldLeases(int port)
    {
        string folder = RolloutJournal.Folder(Run, $"127.0.0.1-{port}");
        var events = JsonlJournal.Read<LeaseEvent>(Path.Combine(folder, RolloutJournal.LeasesFile));
        var closed = Acked(port).Select(a => a.Lease)
            .Concat(events.Where(e => e.Event == LeaseEvent.GivenBack).Select(e => e.Lease)).ToHashSet();
        return events.Where(e => e.Event == LeaseEvent.Received && !closed.Contains(e.Lease)).ToList();
    }

    private string Wal => Path.Combine(Run, "replay", "replay.wal");

    private List<JsonElement> Metrics(string stage)
    {
        string path = Path.Combine(Run, "metrics.jsonl");
        if (!File.Exists(path)) return [];
        var rows = new List<JsonElement>();
        foreach (string line in ReadShared(path).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                var row = JsonDocument.Parse(line).RootElement;
                if (row.GetProperty("stage").GetString() == stage) rows.Add(row);
            }
            catch (JsonException)
            {
                // a line torn by a kill -9
            }
        }
        return rows;
    }

    private void WaitFor(Func<bool> condition, TimeSpan limit, string what, params string[] logs)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
                Assert.Fail($"timed out after {limit.TotalSeconds:0} s waiting for {what}\n" +
                            string.Join("\n", logs.Select(l => $"--- {l}.log (tail) ---\n{Tail(ReadLog(l))}")));
            Thread.Sleep(250);
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    /// <summary>Every id a rollout node got an ack for is in the replay buffer's write-ahead log exactly once (except <paramref name="lostToDamage"/>).</summary>
    private void AssertAckedExactlyOnce(IEnumerable<AckedTrajectory> acked, Guid? lostToDamage = null)
    {
        var stored = ReplayLogReader.Read(Wal).StoredIds.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        foreach (var ack in acked)
        {
            if (ack.Trajectory == lostToDamage) continue;
            Assert.True(stored.TryGetValue(ack.Trajectory, out int count), $"acked trajectory {ack.Trajectory} is not in the replay log");
            Assert.True(count == 1, $"acked trajectory {ack.Trajectory} is stored {count} times");
        }
    }

    [Fact]
    public void TwoRolloutNodesInstallEveryPolicyVersionWithTheLearnersChecksum()
    {
        const int basePort = 4553, versions = 3, lag = 2;
        var clock = Stopwatch.StartNew();
        Start("seed", NodeArguments("seed", basePort, basePort, versions));
        int learner = Start("learner", NodeArguments("learner,replay", basePort + 1, basePort, versions));
        Start("rollout-1", NodeArguments("rollout", basePort + 2, basePort, versions));
        Start("rollout-2", NodeArguments("rollout", basePort + 3, basePort, versions));

        WaitFor(() => !LocalClusterLauncher.IsAlive(learner), TimeSpan.FromMinutes(3), "the learner to finish", "learner", "rollout-1", "rollout-2");
        output.WriteLine($"trained {versions} versions on 2 rollout nodes in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(File.Exists(Path.Combine(Run, "checkpoints", $"rl-{versions}", "agent.json")), Tail(ReadLog("learner")));

        // The learner published versions 0..N once each; version 0 is the imitation checkpoint every node starts from.
        var published = Published();
        Assert.Equal(Enumerable.Range(0, versions + 1).Select(v => (long)v), published.Select(p => p.Version));
        Assert.Equal(versions + 1, published.Select(p => p.Checksum).Distinct().Count());
        var shaOf = published.ToDictionary(p => p.Version, p => p.Checksum);
        foreach (int port in new[] { basePort + 2, basePort + 3 })
        {
            var installed = Installed(port);
            output.WriteLine($"node {port}: installed {string.Join(", ", installed.Select(i => $"v{i.Version} {i.Checksum[..12]}"))}");
            Assert.Equal(Enumerable.Range(1, versions).Select(v => (long)v), installed.Select(i => i.Version));
            Assert.All(installed, i => Assert.Equal(shaOf[i.Version], i.Checksum));
        }

        // The default transport: the learner's plain-socket weight server (on its Akka port + 1000) sent every version, no fallback.
        string endpoint = $"tcp://127.0.0.1:{basePort + 1 + 1000}";
        Assert.Contains($"weight versions are served at {endpoint} (Cluster:WeightTransport = tcp)", ReadLog("learner"), StringComparison.Ordinal);
        foreach (string node in new[] { "rollout-1", "rollout-2" })
        {
            string log = ReadLog(node);
            Assert.Equal(versions, log.Split('\n').Count(l => l.Contains("weights swapped to version", StringComparison.Ordinal) &&
                                                              l.Contains($"via {endpoint}", StringComparison.Ordinal)));
            Assert.DoesNotContain("falling back to the chunked Akka pull", log, StringComparison.Ordinal);
        }

        // Trajectories carry the versions that generated them; what the learner trained on stayed within --max-policy-lag.
        var acked = Acked(basePort + 2).Concat(Acked(basePort + 3)).ToList();
        Assert.True(acked.Count >= versions * 2, $"{acked.Count} acked trajectories");
        Assert.All(acked, a => Assert.InRange(a.OldestPolicyVersion, 0, a.NewestPolicyVersion));
        Assert.All(acked, a => Assert.InRange(a.NewestPolicyVersion, 0, versions));
        Assert.NotEmpty(Acked(basePort + 2));
        Assert.NotEmpty(Acked(basePort + 3));
        var collected = Metrics("collect");
        Assert.Equal(versions, collected.Count);
        Assert.All(collected, c => Assert.InRange(c.GetProperty("policy_lag_max").GetDouble(), 0, lag));
        Assert.All(collected, c => Assert.InRange(c.GetProperty("newest_policy_version").GetDouble(), 0, versions - 1));
        AssertAckedExactlyOnce(acked);
    }

    [Fact]
    public void AKilledRolloutNodeLosesNoAckedTrajectoryAndRejoinsWithTheCurrentWeights()
    {
        // Enough versions that the learner is still training when the restarted node has joined: with 6, the
        // remaining node alone trained to the end while the new process started (seen in CI).
        const int basePort = 4653, versions = 16;
        var clock = Stopwatch.StartNew();
        Start("seed", NodeArguments("seed", basePort, basePort, versions));
        int learner = Start("learner", NodeArguments("learner,replay", basePort + 1, basePort, versions));
        var victimArguments = NodeArguments("rollout", basePort + 2, basePort, versions);
        int victim = Start("rollout-1", victimArguments);
        Start("rollout-2", NodeArguments("rollout", basePort + 3, basePort, versions));

        // Kill -9 the first rollout node once it has played for version 1 and holds a lease (received, neither acked nor
        // given back: its journal records both before the dispatcher hears of them). Tasks are scarce (2 per version for
        // 4 workers), so the condition waits until the victim wins one. Its journal after the kill is final: a lease that
        // closed between the check and the kill is seen there, and the node is then restarted and the kill tried again.
        long versionAtKill = -1;
        for (int attempt = 1; ; attempt++)
        {
            WaitFor(() => Installed(basePort + 2).Any(i => i.Version >= 1) && Acked(basePort + 2).Count >= 1 && HeldLeases(basePort + 2).Count > 0,
                TimeSpan.FromMinutes(3), "rollout-1 to install version 1, deliver a trajectory and hold a lease", "learner", "rollout-1");
            Kill(victim);
            versionAtKill = Published().Max(p => p.Version);
            var held = HeldLeases(basePort + 2);
            output.WriteLine($"killed rollout-1 at {clock.Elapsed.TotalSeconds:F1} s (attempt {attempt}), learner at version {versionAtKill}, " +
                             $"holding {held.Count} lease(s): {string.Join(", ", held.Select(l => l.Task))}");
            if (held.Count > 0) break;
            Assert.True(attempt < 3, "three times rollout-1's lease closed between the check and the kill");
            victim = Start("rollout-1", victimArguments);
        }

        // The dispatcher re-issues its leases once the node is unreachable; training goes on with the other node.
        WaitFor(() => Metrics("dispatcher").Any(d => d.GetProperty("lost_with_node").GetDouble() >= 1), TimeSpan.FromSeconds(60),
            "the dispatcher to re-issue the dead node's leases", "learner");
        Assert.Contains("lease(s) re-issued", ReadLog("learner"), StringComparison.Ordinal);
        WaitFor(() => Published().Max(p => p.Version) > versionAtKill, TimeSpan.FromMinutes(2), "a new version without rollout-1", "learner", "rollout-2");

        // Restarted with the same command, the node rejoins (a new incarnation on the same address) and installs
        // the learner's current weights or newer.
        int installedBefore = Installed(basePort + 2).Count;
        long versionAtRestart = Published().Max(p => p.Version);
        Assert.True(versionAtRestart < versions, $"the learner reached its last version ({versionAtRestart}) before the restart; the test needs more versions");
        Start("rollout-1", victimArguments);
        output.WriteLine($"restarted rollout-1 at {clock.Elapsed.TotalSeconds:F1} s, learner at version {versionAtRestart}");
        WaitFor(() => Installed(basePort + 2).Count > installedBefore, TimeSpan.FromMinutes(2), "the restarted node to install weights", "rollout-1", "learner");
        var firstAfterRestart = Installed(basePort + 2)[installedBefore];
        Assert.True(firstAfterRestart.Version >= versionAtRestart, $"installed version {firstAfterRestart.Version} < learner version {versionAtRestart} at restart");
        Assert.Equal(Published().Single(p => p.Version == firstAfterRestart.Version).Checksum, firstAfterRestart.Checksum);

        WaitFor(() => !LocalClusterLauncher.IsAlive(learner), TimeSpan.FromMinutes(3), "the learner to finish", "learner");
        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Enumerable.Range(0, versions + 1).Select(v => (long)v), Published().Select(p => p.Version));
        var acked = Acked(basePort + 2).Concat(Acked(basePort + 3)).ToList();
        output.WriteLine($"acked: {Acked(basePort + 2).Count} by rollout-1 (both incarnations), {Acked(basePort + 3).Count} by rollout-2");
        AssertAckedExactlyOnce(acked);
    }

    [Fact]
    public void AKilledLearnerResumesAtTheNextVersionAndTheReplayKeepsItsAckedDataDespiteATornLog()
    {
        const int basePort = 4753, versions = 5;
        var clock = Stopwatch.StartNew();
        Start("seed", NodeArguments("seed", basePort, basePort, versions));
        var learnerArguments = NodeArguments("learner,replay", basePort + 1, basePort, versions);
        int learner = Start("learner", learnerArguments);
        Start("rollout-1", NodeArguments("rollout", basePort + 2, basePort, versions));

        string latest = Path.Combine(Run, "checkpoints", "latest.txt");
        WaitFor(() => File.Exists(latest) && File.ReadAllText(latest).Trim() is "rl-2" or "rl-3", TimeSpan.FromMinutes(3), "checkpoint rl-2", "learner");
        Kill(learner);
        var checkpoint = LearnerCheckpoints.FindLatest(Run);
        long checkpointed = checkpoint.State.PolicyVersion;
        output.WriteLine($"killed the learner at {clock.Elapsed.TotalSeconds:F1} s; last checkpoint {checkpoint.Stage}");

        // Every trajectory acked so far is in the log; then tear its last record (as a disk that lost the tail would).
        var ackedBefore = Acked(basePort + 2);
        AssertAckedExactlyOnce(ackedBefore);
        var before = ReplayLogReader.Read(Wal);
        Assert.True(before.StoredIds.Count >= 2, $"{before.StoredIds.Count} records in the log");
        Guid torn = before.StoredIds[^1];
        using (var wal = new FileStream(Wal, FileMode.Open, FileAccess.Write)) wal.SetLength(wal.Length - 5);

        Start("learner", [.. learnerArguments, "--resume"]);
        WaitFor(() => Published().Any(p => p.Resumed && p.Version > checkpointed), TimeSpan.FromMinutes(3), "a version after the resume", "learner", "rollout-1");
        string log = ReadLog("learner");
        Assert.Contains($"resuming from checkpoint {checkpoint.Folder} (policy version {checkpointed}", log, StringComparison.Ordinal);
        Assert.Contains("was damaged", log, StringComparison.Ordinal);
        Assert.Contains("(torn record at offset", log, StringComparison.Ordinal);

        // The resumed learner re-announces its checkpoint under a new epoch, then publishes the next version.
        var resumed = Published().Where(p => p.Resumed).ToList();
        Assert.Equal(checkpointed, resumed[0].Version);
        Assert.Equal(checkpointed + 1, resumed[1].Version);
        Assert.All(resumed, p => Assert.Equal(1, p.Epoch));
        var start = Metrics("start").Last();
        Assert.Equal(checkpointed, start.GetProperty("policy_version").GetDouble());
        Assert.Equal(1, start.GetProperty("resumed").GetDouble());

        WaitFor(() => !LocalClusterLauncher.IsAlive(learner) && Published().Any(p => p.Version == versions && p.Resumed),
            TimeSpan.FromMinutes(3), "the resumed learner to finish", "learner");
        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:F1} s");
        // Every record before the cut survived, in order; only the torn one is gone (its ack had gone out: the damage
        // was done to the disk after the fsync, which is the one case a write-ahead log cannot cover).
        var after = ReplayLogReader.Read(Wal);
        Assert.Equal(before.StoredIds.Take(before.StoredIds.Count - 1), after.StoredIds.Take(before.StoredIds.Count - 1));
        bool tornWasAcked = ackedBefore.Any(a => a.Trajectory == torn);
        if (tornWasAcked) Assert.DoesNotContain(torn, after.StoredIds); // else its worker re-sent it and it is stored once
        AssertAckedExactlyOnce(Acked(basePort + 2), lostToDamage: tornWasAcked ? torn : null);
        // The rollout node followed the resumed learner (epoch 1), also where it already held a higher version number.
        Assert.Contains(Installed(basePort + 2), i => i.Epoch == 1);
    }

    [Fact]
    public void ResumeWithoutOrWithACorruptCheckpointFailsClearly()
    {
        string[] tiny = ["--runtime", "actors", "--resume", "--run-dir", Run, .. Training(2)];
        var (code, _, error) = EnvReplayCommandTests.Invoke(["train", .. tiny]);
        Assert.Equal(2, code);
        Assert.Contains("cannot resume:", error, StringComparison.Ordinal);
        Assert.Contains("has no checkpoint to resume from", error, StringComparison.Ordinal);

        string checkpoints = Path.Combine(Run, "checkpoints");
        Directory.CreateDirectory(Path.Combine(checkpoints, "rl-3"));
        File.WriteAllText(Path.Combine(checkpoints, "latest.txt"), "rl-3\n");
        File.WriteAllText(Path.Combine(checkpoints, "rl-3", "agent.json"), "{\"Env\": \"household\", \"PolicyVer");
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", .. tiny]);
        Assert.Equal(2, code);
        Assert.Contains("agent.json is corrupt", error, StringComparison.Ordinal);

        // A well-formed description whose learner state or model files are missing is refused too, naming the file.
        File.WriteAllText(Path.Combine(checkpoints, "rl-3", "agent.json"), """
            {"Env":"household","Stage":"rl-3","PolicyVersion":3,"Sharing":0,"UseReflector":true,"MemorySize":3,"HistoryWindow":0,
             "MaxTurnsPerTrial":3,"PlannerMaxTokens":6,"ReflectorMaxTokens":8}
            """);
        (code, _, error) = EnvReplayCommandTests.Invoke(["train", .. tiny]);
        Assert.Equal(2, code);
        Assert.Contains("learner-state.json does not exist", error, StringComparison.Ordinal);

        (code, _, error) = EnvReplayCommandTests.Invoke(["train", "--serial", "--resume", "--run-dir", Run]);
        Assert.Equal(2, code);
        Assert.Contains("--resume needs --runtime actors", error, StringComparison.Ordinal);
        (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "rollout", "--resume", "--run-dir", Run]);
        Assert.Equal(2, code);
        Assert.Contains("--resume: only a node with the learner role resumes", error, StringComparison.Ordinal);
    }
}

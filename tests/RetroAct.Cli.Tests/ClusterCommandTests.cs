using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RetroAct.Cli.Cluster;
using Xunit.Abstractions;

namespace RetroAct.Cli.Tests;

/// <summary><c>retroact cluster up | status | down</c>: a real Akka.Cluster of local processes (seed, learner + replay, one rollout node) at a tiny budget.</summary>
[Collection("Console")]
public sealed class ClusterCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-cli-cluster-").FullName;

    private string State => Path.Combine(_dir, "cluster.json");

    public void Dispose()
    {
        EnvReplayCommandTests.Invoke(["cluster", "down", "--state", State, "--grace-seconds", "5"]); // never leave processes behind
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ALocalClusterTrainsAcrossProcessesAndLeavesGracefully()
    {
        string run = Path.Combine(_dir, "run");
        int dashboardPort = Remote.RemoteTestServer.ClosedPort();
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = EnvReplayCommandTests.Invoke(["cluster", "up", "--rollout-nodes", "1", "--workers-per-node", "2", "--state", State,
            "--run-dir", run, "--base-port", "4353", "--dashboard-port", dashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--preset", "quick", "--seed", "5", "--report-every", "1",
            "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=2", "--set", "Agent:Trials=2", "--set", "Agent:MaxTurnsPerTrial=4",
            "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
            "--set", "Imitation:Epochs=1", "--set", "Rl:Iterations=2", "--set", "Rl:TasksPerIteration=2"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("rollout-1", stdout, StringComparison.Ordinal);

        // The learner node exits once its last update is evaluated; the others keep running until `cluster down`.
        string evaluation = Path.Combine(run, "evaluation.json");
        while (!(File.Exists(evaluation) && File.ReadAllText(evaluation).Contains("rl-2", StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromMinutes(4))
            Thread.Sleep(500);
        output.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "rl-2", "agent.json")), File.ReadAllText(Path.Combine(run, "logs", "learner.log")));

        // The seed node's dashboard role saw the other processes' reports over the "metrics" topic, each under its node.
        Assert.Contains($"dashboard: http://127.0.0.1:{dashboardPort}/", stdout, StringComparison.Ordinal);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) })
        {
            using var snapshot = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{dashboardPort}/api/snapshot")));
            var latest = snapshot.RootElement.GetProperty("latest").EnumerateArray()
                .Select(r => (Node: r.GetProperty("node").GetString()!, Source: r.GetProperty("source").GetString()!)).ToList();
            output.WriteLine(string.Join(", ", latest));
            Assert.Contains(latest, r => r.Source == "policy-server" && r.Node.EndsWith("127.0.0.1:4355", StringComparison.Ordinal));
            Assert.Contains(latest, r => r.Source == "update" && r.Node.EndsWith("127.0.0.1:4354", StringComparison.Ordinal));
            var members = snapshot.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString()!).ToList();
            Assert.Contains(members, m => m.EndsWith("127.0.0.1:4353", StringComparison.Ordinal));
            Assert.Contains(members, m => m.EndsWith("127.0.0.1:4355", StringComparison.Ordinal));
        }

        (code, stdout, _) = EnvReplayCommandTests.Invoke(["cluster", "status", "--state", State]);
        Assert.Equal(0, code);
        Assert.Matches(@"seed\s+pid \d+\s+port 4353\s+running", stdout);
        Assert.Matches(@"rollout-1\s+pid \d+\s+port 4355\s+running", stdout);

        (code, stdout, _) = EnvReplayCommandTests.Invoke(["cluster", "down", "--state", State]);
        Assert.Equal(0, code);
        Assert.Matches(@"rollout-1\s+pid \d+\s+stopped", stdout); // left through SIGTERM, not killed
        Assert.False(File.Exists(State));
        output.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F1} s");

        // Weights reached the other process over the learner's weight socket, its metrics came back over the "metrics" topic, and it left the cluster.
        string rolloutLog = File.ReadAllText(Path.Combine(run, "logs", "rollout-1.log"));
        Assert.Contains("weights swapped to version", rolloutLog, StringComparison.Ordinal);
        Assert.Contains("via tcp://127.0.0.1:5354", rolloutLog, StringComparison.Ordinal); // the default transport: learner port 4354 + 1000
        Assert.Contains("Exiting completed", rolloutLog, StringComparison.Ordinal);
        var stages = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("stage").GetString()).ToHashSet();
        Assert.Contains("policy-server", stages);
        Assert.Contains("update", stages);
    }

    [Fact]
    public async Task ALearnerNodeStoppedDuringItsImitationStageExitsPromptlyAndSaysSo()
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var command = LocalClusterLauncher.SelfCommand();
        start.FileName = command[0];
        // The quick preset's imitation stage takes minutes here: long enough to be interrupted in the middle.
        foreach (string argument in command.Skip(1).Concat([
                     "node", "--roles", "learner,replay", "--host", "127.0.0.1", "--port", "0",
                     "--seeds", $"akka.tcp://retroact@127.0.0.1:{Remote.RemoteTestServer.ClosedPort()}",
                     "--run-dir", Path.Combine(_dir, "interrupted"), "--preset", "quick", "--seed", "5"]))
            start.ArgumentList.Add(argument);

        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var log = new System.Text.StringBuilder();
        var training = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains("imitation samples:", StringComparison.Ordinal)) training.TrySetResult(); // the epochs are starting
        };
        node.BeginErrorReadLine();
        try
        {
            await training.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await Task.Delay(TimeSpan.FromSeconds(2)); // inside the first epoch
            Assert.True(LocalClusterLauncher.SendSigterm(node.Id));
            var clock = Stopwatch.StartNew();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await stdout;
            output.WriteLine($"exited {clock.Elapsed.TotalSeconds:F1} s after SIGTERM with code {node.ExitCode}\n{log}");
            Assert.Equal(0, node.ExitCode);
            lock (log) Assert.Contains("stopped during the imitation stage", log.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_dir, "interrupted", "checkpoints", "imitation", "agent.json")));
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task ARolloutNodeWhoseSeedIsUnreachableSaysSoAndGivesUpAfterTheJoinTimeout()
    {
        string seed = $"akka.tcp://retroact@127.0.0.1:{Remote.RemoteTestServer.ClosedPort()}";
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var command = LocalClusterLauncher.SelfCommand();
        start.FileName = command[0];
        foreach (string argument in command.Skip(1).Concat([
                     "node", "--roles", "rollout", "--host", "127.0.0.1", "--port", "0", "--seeds", seed, "--join-timeout", "6",
                     "--run-dir", Path.Combine(_dir, "unreachable"), "--preset", "quick", "--seed", "5", "--workers", "2",
                     "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=1", "--set", "Model:TokenizerVocab=400"]))
            start.ArgumentList.Add(argument);

        var clock = Stopwatch.StartNew();
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        bool exited = true;
        try
        {
            await node.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            exited = false;
            node.Kill(entireProcessTree: true);
        }
        await node.WaitForExitAsync(); // the output is complete
        clock.Stop();
        string log = await stdout + await stderr;
        output.WriteLine($"exited after {clock.Elapsed.TotalSeconds:F1} s with code {(exited ? node.ExitCode : -1)}\n{log}");

        Assert.True(exited, "the node did not give up within 60 s");
        Assert.Equal(2, node.ExitCode);
        // While it tries, it says which seeds and for how long; then a clear error naming the seeds and the timeout.
        Assert.Matches($@"not a cluster member yet after [\d.]+ s \(no seed has answered\): trying seeds {Regex.Escape(seed)}; gives up after 6 s \(--join-timeout\)", log);
        Assert.Matches($@"error: node akka\.tcp://retroact@127\.0\.0\.1:\d+ could not join the cluster: no seed answered within --join-timeout 6 s \(seeds: {Regex.Escape(seed)}\)", log);
        // Akka gave up through CoordinatedShutdown: the actor system shut down before the process exited.
        Assert.Contains("ClusterJoinUnsuccessfulReason", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", log, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 6, 45);
    }

    [Fact]
    public void ABadJoinTimeoutIsNamed()
    {
        foreach (string bad in new[] { "-1", "0.5", "86401" })
        {
            var (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "rollout", "--seeds", "akka.tcp://retroact@127.0.0.1:4053",
                "--join-timeout", bad, "--run-dir", Path.Combine(_dir, "bad")]);
            Assert.Equal(2, code);
            Assert.Contains($"--join-timeout {bad}: allowed: 1..86400 seconds, or 0 to wait forever", error, StringComparison.Ordinal);
        }
        var (parseCode, _, parseError) = EnvReplayCommandTests.Invoke(["node", "--roles", "seed", "--join-timeout", "soon"]);
        Assert.NotEqual(0, parseCode);
        Assert.Contains("soon", parseError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")), "a bad option must stop the node before it does anything");
    }

    [Fact]
    public void BadNodeOptionsAreNamed()
    {
        var (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "rollout,planner", "--seeds", "127.0.0.1:4053", "--run-dir", Path.Combine(_dir, "bad")]);
        Assert.Equal(2, code);
        Assert.Contains("--roles 'planner': allowed: seed, learner, replay, rollout", error, StringComparison.Ordinal);
        Assert.Contains("--seeds '127.0.0.1:4053': expected akka.tcp://retroact@HOST:PORT", error, StringComparison.Ordinal);

        (code, _, error) = EnvReplayCommandTests.Invoke(["node", "--roles", "rollout"]);
        Assert.Equal(2, code);
        Assert.Contains("--run-dir is required", error, StringComparison.Ordinal);

        (code, var stdout, _) = EnvReplayCommandTests.Invoke(["cluster", "status", "--state", State]);
        Assert.Equal(0, code);
        Assert.Contains("no local cluster started from here", stdout, StringComparison.Ordinal);
    }
}

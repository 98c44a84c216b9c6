using System.Diagnostics;
using System.Text;
using RetroAct.Cli.Cluster;
using Xunit.Abstractions;

namespace RetroAct.Cli.Tests;

/// <summary>Ctrl-C (SIGINT) and SIGTERM stop <c>retroact train</c> between two steps, in either runtime, keeping what was written.</summary>
public sealed class TrainInterruptTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-cli-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A tiny household budget with far more RL iterations than the test waits for: it is always interrupted.
    private static readonly string[] Training =
    [
        "--preset", "quick", "--seed", "3",
        "--set", "Data:ImitationTasks=4", "--set", "Data:EvalTasks=1", "--set", "Agent:Trials=1", "--set", "Agent:MaxTurnsPerTrial=3",
        "--set", "Model:TokenizerVocab=400", "--set", "Model:PlannerMaxTokens=6", "--set", "Model:ReflectorMaxTokens=8",
        "--set", "Imitation:Epochs=1", "--set", "Rl:Iterations=500", "--set", "Rl:TasksPerIteration=2",
    ];

    [Theory]
    [InlineData("serial", "INT", "iteration 2:")]
    [InlineData("actors", "INT", "actor runtime:")]
    [InlineData("actors", "TERM", "actor runtime:")]
    public async Task TrainingStopsBetweenTwoStepsAndKeepsItsRunDirectory(string runtime, string signal, string underWay)
    {
        string run = Path.Combine(_dir, $"{runtime}-{signal}");
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Through env --default-signal: a test run started in the background (`cmd &` in a script) inherits SIGINT
        // ignored, as POSIX shells set it, and so would `retroact train`, which then rightly takes no Ctrl-C (both INT
        // cases failed that way in one CI run). A user's Ctrl-C reaches a foreground process with the default disposition.
        string[] command = ["env", "--default-signal=INT", .. LocalClusterLauncher.SelfCommand()];
        start.FileName = command[0];
        foreach (string argument in command.Skip(1).Concat(["train", "--runtime", runtime, "--run-dir", run, .. Training]))
            start.ArgumentList.Add(argument);

        using var train = Process.Start(start)!;
        var stdout = train.StandardOutput.ReadToEndAsync();
        var log = new StringBuilder();
        var rlStage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        train.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains(underWay, StringComparison.Ordinal)) rlStage.TrySetResult();
        };
        train.BeginErrorReadLine();
        try
        {
            await rlStage.Task.WaitAsync(TimeSpan.FromMinutes(4));
            await Task.Delay(TimeSpan.FromSeconds(2)); // a few RL steps in
            using (var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", $"{train.Id}"]) { UseShellExecute = false })!)
                await kill.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            await train.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            await stdout;
            string text;
            lock (log) text = log.ToString();
            output.WriteLine($"exited {clock.Elapsed.TotalSeconds:F1} s after SIG{signal} with code {train.ExitCode}\n{text}");

            Assert.Equal(130, train.ExitCode);
            Assert.Contains(signal == "INT" ? "Ctrl-C: stopping after the current step" : "SIGTERM: stopping after the current step", text, StringComparison.Ordinal);
            Assert.Contains("interrupted: stopped between two steps", text, StringComparison.Ordinal);
            // What was written stays: the imitation stage's evaluation and checkpoint.
            Assert.Contains("\"imitation\"", File.ReadAllText(Path.Combine(run, "evaluation.json")), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(run, "checkpoints", "imitation", "agent.json")));
            if (runtime == "actors" && File.Exists(Path.Combine(run, "checkpoints", "latest.txt")))
                Assert.Contains("--resume", text, StringComparison.Ordinal);
        }
        finally
        {
            if (!train.HasExited) train.Kill(entireProcessTree: true);
        }
    }
}

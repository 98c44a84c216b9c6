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

    /// <summary>
    /// A signal during an evaluation ends it before its next generation round: 2,000 evaluation episodes take about a
    /// minute here, and the run used to play them all before it stopped (55 s after the signal). The stage's checkpoint
    /// comes before its evaluation, so what was trained is kept. In the actor runtime the imitation stage is evaluated
    /// on its own thread before the actors start, and rl-N by the learner actor.
    /// </summary>
    [Theory]
    [InlineData("serial", "imitation", 2000)]
    [InlineData("actors", "imitation", 2000)]
    [InlineData("actors", "rl-1", 600)]
    public async Task A_signal_during_an_evaluation_stops_it_and_keeps_the_checkpoint(string runtime, string stage, int episodes)
    {
        string run = Path.Combine(_dir, $"{runtime}-{stage}");
        string[] arguments = ["train", "--runtime", runtime, "--run-dir", run, .. Training, "--set", $"Data:EvalTasks={episodes}"];
        var (exitCode, text, seconds) = await Interrupt(arguments, "TERM", $"evaluating {stage} on {episodes}");

        Assert.Equal(130, exitCode);
        Assert.True(seconds < 30, $"stopped {seconds:F1} s after the signal");
        Assert.DoesNotContain($"{stage}: IR", text, StringComparison.Ordinal);               // the evaluation did not finish
        Assert.DoesNotContain($"evaluating {stage}: {episodes}/{episodes}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the learner failed", text, StringComparison.Ordinal);        // a stop, not a failure
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", stage, "agent.json")));
        string evaluations = Path.Combine(run, "evaluation.json");
        Assert.False(File.Exists(evaluations) && File.ReadAllText(evaluations).Contains($"\"{stage}\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("serial", "INT", "iteration 2:")]
    [InlineData("actors", "INT", "actor runtime:")]
    [InlineData("actors", "TERM", "actor runtime:")]
    public async Task TrainingStopsBetweenTwoStepsAndKeepsItsRunDirectory(string runtime, string signal, string underWay)
    {
        string run = Path.Combine(_dir, $"{runtime}-{signal}");
        var (exitCode, text, _) = await Interrupt(["train", "--runtime", runtime, "--run-dir", run, .. Training], signal, underWay,
                                                  TimeSpan.FromSeconds(2)); // a few RL steps in

        Assert.Equal(130, exitCode);
        Assert.Contains(signal == "INT" ? "Ctrl-C: stopping after the current step" : "SIGTERM: stopping after the current step", text, StringComparison.Ordinal);
        Assert.Contains("interrupted: stopped between two steps", text, StringComparison.Ordinal);
        // What was written stays: the imitation stage's evaluation and checkpoint.
        Assert.Contains("\"imitation\"", File.ReadAllText(Path.Combine(run, "evaluation.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "imitation", "agent.json")));
        if (runtime == "actors" && File.Exists(Path.Combine(run, "checkpoints", "latest.txt")))
            Assert.Contains("--resume", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts <c>retroact</c> with <paramref name="arguments"/>, sends SIG<paramref name="signal"/> once its standard
    /// error shows <paramref name="underWay"/> (and <paramref name="delay"/> has passed), and returns its exit code, its
    /// standard error and the seconds from the signal to its exit.
    /// </summary>
    private async Task<(int ExitCode, string Log, double Seconds)> Interrupt(string[] arguments, string signal, string underWay, TimeSpan delay = default)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // Through env --default-signal: a test run started in the background (`cmd &` in a script) inherits SIGINT
        // ignored, as POSIX shells set it, and so would `retroact train`, which then rightly takes no Ctrl-C (both INT
        // cases failed that way in one CI run). A user's Ctrl-C reaches a foreground process with the default disposition.
        string[] command = ["env", "--default-signal=INT", .. LocalClusterLauncher.SelfCommand()];
        start.FileName = command[0];
        foreach (string argument in command.Skip(1).Concat(arguments))
            start.ArgumentList.Add(argument);

        using var train = Process.Start(start)!;
        var stdout = train.StandardOutput.ReadToEndAsync();
        var log = new StringBuilder();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        train.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains(underWay, StringComparison.Ordinal)) reached.TrySetResult();
        };
        train.BeginErrorReadLine();
        try
        {
            await reached.Task.WaitAsync(TimeSpan.FromMinutes(4));
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            using (var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", $"{train.Id}"]) { UseShellExecute = false })!)
                await kill.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            await train.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
            double seconds = clock.Elapsed.TotalSeconds;
            await stdout;
            string text;
            lock (log) text = log.ToString();
            output.WriteLine($"exited {seconds:F1} s after SIG{signal} with code {train.ExitCode}\n{text}");
            return (train.ExitCode, text, seconds);
        }
        finally
        {
            if (!train.HasExited) train.Kill(entireProcessTree: true);
        }
    }
}

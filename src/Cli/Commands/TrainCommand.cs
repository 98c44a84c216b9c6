using System.CommandLine;
using System.Runtime.InteropServices;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Training;
using RetroAct.Dashboard;
using RetroAct.Learner.Serial;

namespace RetroAct.Cli.Commands;

/// <summary>
/// <c>retroact train</c>: imitation stage, then RetroAct RL iterations, evaluating IR/FR/AR after each stage and writing
/// a run directory. Configuration layers: defaults &lt; appsettings.json &lt; --config &lt; RETROACT__* &lt; options.
/// Two runtimes: serial (no actors; the default for now) and actors (every role in one ActorSystem).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var training = new TrainingOptionSet();
        var runtime = new Option<string?>("--runtime")
        {
            Description = "actors (the default: every role in one process — dispatcher, rollout workers, policy server, replay buffer, " +
                          "learner) or serial (no actors, one thread of control: for debugging and exactly reproducible runs).",
        };
        var serial = new Option<bool>("--serial") { Description = "Same as --runtime serial." };
        var resume = new Option<bool>("--resume")
        {
            Description = "Actor runtime: continue the run in --run-dir from its latest checkpoint (checkpoints/latest.txt) at the next policy " +
                          "version; the replay buffer re-reads its write-ahead log.",
        };

        var dashboardPort = new Option<int?>("--dashboard-port")
        {
            Description = "Serve a live dashboard of this run on this HTTP port (0: any free port; its address is printed): every metric as it " +
                          "is logged, with /api/snapshot, /api/events (server-sent events) and /metrics (Prometheus). Default: no dashboard.",
        };
        var dashboardHost = new Option<string>("--dashboard-host")
        {
            Description = "Address the dashboard binds (0.0.0.0: reachable from other machines).",
            DefaultValueFactory = _ => "127.0.0.1",
        };

        var command = new Command("train", "Train a planner and a reflector: imitation learning, then RetroAct off-policy policy gradient.");
        training.AddTo(command);
        command.Options.Add(runtime);
        command.Options.Add(serial);
        command.Options.Add(resume);
        command.Options.Add(dashboardPort);
        command.Options.Add(dashboardHost);
        command.SetAction(parse => CliRun.Guard(() =>
        {
            string? runtimeGiven = parse.GetValue(runtime);
            if (runtimeGiven is not (null or "serial" or "actors")) throw new CliUsageException($"--runtime '{runtimeGiven}': allowed: actors, serial");
            if (parse.GetValue(serial) && runtimeGiven is "actors") throw new CliUsageException("--serial contradicts --runtime actors");
            string runtimeName = parse.GetValue(serial) ? "serial" : runtimeGiven ?? "actors";
            if (parse.GetValue(resume))
            {
                if (runtimeName != "actors") throw new CliUsageException("--resume needs --runtime actors (the serial driver does not resume)");
                if (parse.GetValue(training.RunDir) is null) throw new CliUsageException("--resume needs --run-dir: the run directory to continue");
            }
            if (parse.GetValue(dashboardPort) is < 0 or > 65535)
                throw new CliUsageException($"--dashboard-port {parse.GetValue(dashboardPort)}: allowed: 0..65535 (0: any free port)");
            var actorOptions = training.ActorOptions(parse) with { Resume = parse.GetValue(resume) };
            var (resolved, presetName) = training.Resolve(parse);
            // One process, one policy server: its batch is capped by the episodes its workers play at once, so by default
            // as many as the generation batch (4 episodes made the quick preset's RL stage ~40 % slower than the serial driver's).
            if (parse.GetValue(training.Workers) is null)
                actorOptions = actorOptions with { WorkersPerNode = (resolved.Model.GenerationBatch + actorOptions.Workers.Environments - 1) / actorOptions.Workers.Environments };

            var suite = TrainingSuites.Create(resolved); // before the run directory: a bad task type makes none
            using var disposeSuite = suite as IDisposable;
            using var run = training.OpenRun(parse, resolved, presetName);
            run.WriteConfig(resolved);
            Console.Error.WriteLine($"run directory: {run.Path}");
            var started = DateTime.UtcNow;
            Action<string> report = line => Console.Error.WriteLine($"[{DateTime.UtcNow - started:hh\\:mm\\:ss}] {line}");
            using var dashboard = StartDashboard(run, parse.GetValue(dashboardHost)!, parse.GetValue(dashboardPort), runtimeName);
            using var stop = new CancellationTokenSource();
            using var signals = StopOnSignals(stop);
            IReadOnlyList<StageResult> results;
            try
            {
                results = runtimeName == "actors"
                    ? new EmbeddedTrainingRuntime(resolved, suite, run, actorOptions, report).Run(stop.Token)
                    : new SerialTrainer(resolved, suite, run, report, stop.Token).Run();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                bool resumable = runtimeName == "actors" && File.Exists(Path.Combine(run.Path, "checkpoints", "latest.txt"));
                Console.Error.WriteLine($"interrupted: stopped between two steps; {run.Path} keeps the checkpoints written so far, " +
                                        "the stages evaluated so far (evaluation.json) and metrics.jsonl" +
                                        (resumable ? $". Continue with: retroact train --runtime actors --resume --run-dir {run.Path} and the same training options" : ""));
                return 130;
            }
            PrintResults(results, run.Path);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Ctrl-C or SIGTERM (docker stop) cancels <paramref name="stop"/>: training stops between two steps (an evaluation
    /// or a collection between two generation rounds). A second Ctrl-C or SIGTERM ends the process at once.
    /// </summary>
    private static IDisposable StopOnSignals(CancellationTokenSource stop)
    {
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (stop.IsCancellationRequested) return; // the second signal: the default, end the process now
            context.Cancel = true;
            Stop(stop, "SIGTERM");
        });
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (stop.IsCancellationRequested) return; // the second Ctrl-C: the default, end the process now
            e.Cancel = true;
            Stop(stop, "Ctrl-C");
        };
        Console.CancelKeyPress += onCtrlC;
        return new SignalHandlers(sigterm, onCtrlC);
    }

    private static void Stop(CancellationTokenSource stop, string signal)
    {
        if (stop.IsCancellationRequested) return;
        Console.Error.WriteLine($"{signal}: stopping after the current step (Ctrl-C or SIGTERM again to stop at once)");
        stop.Cancel();
    }

    private sealed class SignalHandlers(PosixSignalRegistration sigterm, ConsoleCancelEventHandler onCtrlC) : IDisposable
    {
        public void Dispose()
        {
            Console.CancelKeyPress -= onCtrlC;
            sigterm.Dispose();
        }
    }

    /// <summary>The run's dashboard when a port was given (its address on standard error); disposing it stops the server.</summary>
    private static IDisposable? StartDashboard(Learner.Runs.RunDirectory run, string host, int? port, string runtimeName)
    {
        if (port is not { } p)
        {
            Console.Error.WriteLine("(to watch this run live in a browser, add --dashboard-port 8080)");
            return null;
        }
        RunningDashboard dashboard;
        try
        {
            dashboard = DashboardHosting.StartForRunAsync(run, host, p, runtimeName).GetAwaiter().GetResult();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
        Console.Error.WriteLine($"dashboard: {dashboard.Url}");
        return new Stopper(dashboard);
    }

    private sealed class Stopper(RunningDashboard dashboard) : IDisposable
    {
        public void Dispose() => dashboard.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One line per evaluated stage on standard output, then where the run directory is.</summary>
    internal static void PrintResults(IReadOnlyList<StageResult> results, string runPath)
    {
        foreach (var r in results)
            Console.WriteLine($"{r.Stage,-10} IR {r.Metrics.Ir:P1}  FR {r.Metrics.Fr:P1}  AR {r.Metrics.Ar:P1}");
        Console.WriteLine($"results, metrics and plots: {runPath}");
    }
}

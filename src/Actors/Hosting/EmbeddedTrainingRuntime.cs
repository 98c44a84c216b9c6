using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;
using RetroAct.Actors.Weights;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// <c>retroact train --runtime actors</c>: the whole pipeline in one ActorSystem holding every role. The imitation
/// stage runs first through the serial code path (the same data, tokenizer, IL epochs, evaluation and "imitation"
/// checkpoint), then the RL stage runs as actors: TaskDispatcher, one RolloutNode (K workers + a PolicyServer with
/// its own model copy), ReplayBuffer (write-ahead log in the run directory), WeightStore, Learner and MetricsHub.
/// The run directory has the same files as a serial run.
/// </summary>
public sealed class EmbeddedTrainingRuntime(TrainingConfig config, ITrainingSuite suite, RunDirectory run, ActorRuntimeOptions options, Action<string> report)
{
    /// <summary>
    /// Trains and returns every evaluated stage (imitation, then rl-N). <paramref name="cancel"/> (Ctrl-C, SIGTERM)
    /// stops it between two steps: the imitation stage between two optimiser steps, the RL stage once the learner
    /// has finished the update or evaluation under way; then the actors stop and an
    /// <see cref="OperationCanceledException"/> says so. The run directory keeps every file written until then.
    /// </summary>
    public IReadOnlyList<StageResult> Run(CancellationToken cancel = default)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException($"invalid actor runtime options: {string.Join("; ", problems)}");
        var parts = new TrainingParts(config, suite, run, options.WithLearnerOnTheComputeThread(), report);
        var finished = new TaskCompletionSource<IReadOnlyList<StageResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        LearnerSetup learner;
        if (options.Resume)
        {
            if (!parts.HasRlStage) throw new ArgumentException($"--resume: algorithm '{config.Algo}' with {config.Rl.Iterations} RL iterations has no RL stage to resume");
            learner = ThreadOfItsOwn.Run("retroact-resume", () => parts.ResumeLearner(finished));
        }
        else
        {
            // The imitation stage and the learner's set-up run on a thread that ends before the actors start, so that
            // the only libtorch thread left is the compute dispatcher's (ComputeDispatcher says why).
            var (imitationResults, setUp) = ThreadOfItsOwn.Run("retroact-imitation", () => parts.ImitationAndLearner(finished, cancel));
            if (setUp is null) return imitationResults;
            learner = setUp; // its models belong to the learner actor from here on
        }
        learner = learner with { Stopping = cancel };
        try
        {
            using var journal = new RolloutJournal(RolloutJournal.Folder(run.Path, "local"));
            using var host = new HostBuilder()
                .ConfigureServices(services => services
                    // Ctrl-C and SIGTERM belong to the caller (cancel): the host's console lifetime and Akka's own
                    // SIGTERM hook would stop the actors at once, and the learner's unfinished run would read as a
                    // failure. The actors stop when the host does (below), the run finished or cancelled.
                    .AddSingleton<IHostLifetime, NoSignalLifetime>()
                    .AddAkka(RetroActAkka.SystemName, akka => akka
                        .WithRetroActDefaults()
                        .AddHocon(Akka.Configuration.ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off"),
                            HoconAddMode.Prepend)
                        .WithActors((system, registry) => StartActors(system, registry, parts, learner, journal))))
                .Build();
            host.Start();
            report($"actor runtime: {options.WorkersPerNode} rollout workers × {options.Workers.Environments} environments " +
                   $"(on {options.ResolvedWorkerThreads(config.Env).Describe()}), max policy lag {options.Replay.MaxPolicyLag}");
            try
            {
                using var stopping = cancel.Register(() => finished.TrySetCanceled(cancel));
                return finished.Task.GetAwaiter().GetResult();
            }
            finally
            {
                host.StopAsync().GetAwaiter().GetResult();
            }
        }
        catch when (!finished.Task.IsCompleted)
        {
            learner.Models.Dispose(); // the learner actor never started and never took them
            throw;
        }
    }

    private void StartActors(ActorSystem system, IActorRegistry registry, TrainingParts parts, LearnerSetup learnerSetup, IRolloutJournal journal)
    {
        var metrics = system.ActorOf(MetricsHub.Props(learnerSetup.Run), ActorRoles.MetricsName);
        var replay = system.ActorOf(ReplayBuffer.Props(parts.Replay(), metrics, options.ReportEvery), ActorRoles.ReplayName);
        // The task dispatcher runs where the workers do, so that their lease requests are answered there too. From the
        // thread pool, each answer to workers on the compute thread first woke a sleeping pool thread, and a new episode
        // missed the next batch or two (bench cluster: 14.0–14.6 requests per batch of 16, against 15.4–15.5).
        var dispatcher = system.ActorOf(TaskDispatcher.Props(options.Leases, metrics: metrics, reportEvery: options.ReportEvery)
            .WithDispatcher(ComputeDispatcher.For(options.ResolvedWorkerThreads(config.Env))), ActorRoles.DispatcherName);
        var weightStore = system.ActorOf(WeightStore.Props(), ActorRoles.WeightsName);
        var node = system.ActorOf(RolloutNode.Props(parts.Rollout(journal), parts.PolicyBackend(), new RolloutPeers(dispatcher, replay, weightStore, metrics)),
            ActorRoles.RolloutName);
        var learner = system.ActorOf(LearnerActor.Props(learnerSetup, new LearnerPeers(replay, dispatcher, weightStore, metrics))
            .WithDispatcher(ComputeDispatcher.Id), ActorRoles.LearnerName);
        registry.Register<MetricsHub>(metrics);
        registry.Register<ReplayBuffer>(replay);
        registry.Register<TaskDispatcher>(dispatcher);
        registry.Register<WeightStore>(weightStore);
        registry.Register<RolloutNode>(node);
        registry.Register<LearnerActor>(learner);
    }
}

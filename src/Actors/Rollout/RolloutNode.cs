using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Journals;

namespace RetroAct.Actors.Rollout;

/// <summary>Where a rollout node's actors send their work: the task dispatcher, the replay buffer, the weight store and the metrics hub.</summary>
public sealed record RolloutPeers(IActorRef Dispatcher, IActorRef Replay, IActorRef WeightStore, IActorRef Metrics);

/// <summary>Settings of one rollout node: K workers, how they play, the policy server's batching.</summary>
/// <param name="Journal">Where the node records installed weight versions and acknowledged trajectories (null: nowhere).</param>
/// <param name="Threads">Where the workers run: the thread pool, or the compute thread with the PolicyServer.</param>
public sealed record RolloutNodeSettings(int Workers, EpisodeSettings Episodes, RolloutWorkerOptions WorkerOptions, PolicyServerOptions PolicyServer,
                                         TimeSpan ReportEvery, IRolloutJournal? Journal = null, WorkerThreads Threads = WorkerThreads.Pool);

/// <summary>
/// Supervises one node's rollout actors: one PolicyServer (the node's only model copy) and K RolloutWorkers that
/// send it their generation requests. A failed child is restarted alone (workers catch environment errors
/// themselves; a restart is for bugs), and a restarted PolicyServer builds a fresh backend and pulls the newest weights.
/// </summary>
public sealed class RolloutNode : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RolloutNode(RolloutNodeSettings settings, Func<IPolicyBackend> createBackend, RolloutPeers peers)
    {
        if (settings.Workers < 1) throw new ArgumentException($"rollout node Workers = {settings.Workers}; allowed: ≥ 1");
        var policyServer = Context.ActorOf(
            PolicyServer.Props(createBackend, peers.WeightStore, peers.Metrics, settings.PolicyServer, settings.ReportEvery, settings.Journal)
                .WithDispatcher(ComputeDispatcher.Id),
            "policy-server");
        for (int k = 0; k < settings.Workers; k++)
        {
            var worker = RolloutWorker.Props(k, settings.Episodes, policyServer, peers.Dispatcher, peers.Replay, settings.WorkerOptions, settings.Journal);
            Context.ActorOf(worker.WithDispatcher(ComputeDispatcher.For(settings.Threads)), $"worker-{k}");
        }
        _log.Info("rollout node: {0} workers ({1} environments each, on {2}) and a policy server", settings.Workers,
            settings.WorkerOptions.Environments, settings.Threads.Describe());
    }

    public static Props Props(RolloutNodeSettings settings, Func<IPolicyBackend> createBackend, RolloutPeers peers) =>
        Akka.Actor.Props.Create(() => new RolloutNode(settings, createBackend, peers));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: e =>
        {
            _log.Error(e, "a rollout actor failed; restarting it");
            return Directive.Restart;
        });
}

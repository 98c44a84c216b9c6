using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;
using RetroAct.Core.Environments;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Rollout;

/// <summary>
/// Plays leased tasks one episode at a time: an <see cref="EpisodeStepper"/> asks for each agent text, the node's
/// PolicyServer writes it, the environment steps inside the stepper. A finished episode goes to the replay buffer as
/// a <see cref="TrajectoryBatch"/> (or fragments) and is kept, and re-sent on a timer, until acknowledged; only then
/// is the lease reported complete. An environment that throws (e.g. its server is down) ends the episode: the lease
/// is given back with the reason and the worker carries on after a pause. Each ack is written to the node's
/// <see cref="IRolloutJournal"/>; an unanswered lease request is re-sent (its dispatcher may have died). A worker whose
/// lease request was parked (no task for it) tells its PolicyServer (<see cref="PolicyClientStatus"/>), so a batch need
/// not wait for it.
/// </summary>
public sealed class RolloutWorker : ReceiveActor, IWithTimers
{
    // One deadline timer re-armed lazily instead of a timer started and cancelled per request (bench cluster: the
    // per-request timer cost ~1 µs of the actor path's ~30 µs per environment step).
    private sealed record GenerationDeadline
    {
        public static readonly GenerationDeadline Instance = new();
    }

    private sealed record AckTimeout(Guid TrajectoryId);

    private sealed record Resume
    {
        public static readonly Resume Instance = new();
    }

    private sealed record LeaseRequestTimeout
    {
        public static readonly LeaseRequestTimeout Instance = new();
    }

    private sealed class Running(TaskLease lease, ITextEnvironment environment, EpisodeStepper stepper)
    {
        public TaskLease Lease { get; } = lease;
        public ITextEnvironment Environment { get; } = environment;
        public EpisodeStepper Stepper { get; } = stepper;
        public Guid RequestId { get; set; }

        /// <summary>When the pending request was sent (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public long AskedAt { get; set; }
    }

    private const string GenerationTimer = "generation", ResumeTimer = "resume", LeaseTimer = "lease-request";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly int _workerId;
    private readonly EpisodeSettings _episodes;
    private readonly IActorRef _policyServer, _dispatcher, _replay;
    private readonly RolloutWorkerOptions _options;
    private readonly IRolloutJournal _journal;
    private readonly Queue<TaskLease> _leases = new();
    private readonly Dictionary<Guid, (TaskLease Lease, TrajectoryBatch Batch)> _unacked = [];
    private readonly RequestIdSequence _requestIds = new();
    private WorkerAddress _address = null!;
    private Running? _running;
    private bool _leaseRequested, _pausing;
    private bool? _toldMayAsk; // what the PolicyServer last heard from this worker (a request tells it "playing")

    public RolloutWorker(int workerId, EpisodeSettings episodes, IActorRef policyServer, IActorRef dispatcher, IActorRef replay, RolloutWorkerOptions options,
                         IRolloutJournal? journal = null)
    {
        (_workerId, _episodes, _policyServer, _dispatcher, _replay, _options) = (workerId, episodes, policyServer, dispatcher, replay, options);
        _journal = journal ?? NoRolloutJournal.Instance;

        Receive<TaskLease>(lease =>
        {
            _leaseRequested = false;
            Timers.Cancel(LeaseTimer);
            _leases.Enqueue(lease);
            StartNextEpisode();
        });
        Receive<GenerateResponse>(response =>
        {
            if (_running?.RequestId != response.RequestId) return; // late answer to an episode already given back
            var text = new AgentText(response.Text)
            {
                TokenIds = response.TokenIds,
                BehaviourLogProbs = response.BehaviourLogProbs,
                PolicyVersion = response.PolicyVersion,
            };
            Advance(running => running.Stepper.Submit(text));
        });
        Receive<GenerateFailed>(failed =>
        {
            if (_running?.RequestId != failed.RequestId) return;
            GiveBackRunning($"generation failed: {failed.Reason}");
        });
        Receive<GenerationDeadline>(_ =>
        {
            if (_running is not { } running) return; // re-armed by the next request
            var waited = Stopwatch.GetElapsedTime(running.AskedAt);
            if (waited >= _options.GenerationTimeout)
                GiveBackRunning($"no answer from the policy server within {_options.GenerationTimeout.TotalSeconds:0.#} s");
            else
                Timers.StartSingleTimer(GenerationTimer, GenerationDeadline.Instance, _options.GenerationTimeout - waited);
        });
        Receive<TrajectoryAck>(ack =>
        {
            if (!_unacked.Remove(ack.TrajectoryId, out var sent)) return; // a second ack for a re-sent copy
            Timers.Cancel(AckTimerKey(ack.TrajectoryId));
            try
            {
                _journal.TrajectoryAcked(ack.TrajectoryId, _workerId, ack.Duplicate, sent.Batch.OldestPolicyVersion, sent.Batch.NewestPolicyVersion);
            }
            catch (IOException e)
            {
                _log.Error(e, "could not record the ack of trajectory {0} in the node journal", ack.TrajectoryId);
            }
            _dispatcher.Tell(new LeaseCompleted(sent.Lease.LeaseId, ack.TrajectoryId));
            RequestLeaseIfIdle();
        });
        Receive<TrajectoryRejected>(rejected =>
        {
            if (!_unacked.Remove(rejected.TrajectoryId, out var sent)) return;
            Timers.Cancel(AckTimerKey(rejected.TrajectoryId));
            _log.Error("replay buffer rejected trajectory {0} of task {1}: {2}", rejected.TrajectoryId, sent.Lease.Task, rejected.Reason);
            _dispatcher.Tell(new LeaseGivenBack(sent.Lease.LeaseId, Bounded($"trajectory rejected by the replay buffer: {rejected.Reason}")));
            RequestLeaseIfIdle();
        });
        Receive<AckTimeout>(timeout =>
        {
            if (!_unacked.TryGetValue(timeout.TrajectoryId, out var sent)) return;
            _log.Warning("trajectory {0} not acknowledged within {1:0.#} s; sending it again", timeout.TrajectoryId, _options.AckTimeout.TotalSeconds);
            Send(sent.Batch);
        });
        Receive<Resume>(_ =>
        {
            _pausing = false;
            TellPolicyServer(mayAsk: true);
            StartNextEpisode();
        });
        Receive<LeaseRequestParked>(_ =>
        {
            // No task for this worker now: the PolicyServer need not wait for it until a lease comes and it asks.
            if (_running is null && _leases.Count == 0) TellPolicyServer(mayAsk: false);
        });
        Receive<LeaseRequestTimeout>(_ =>
        {
            if (!_leaseRequested) return;
            _leaseRequested = false;
            RequestLeaseIfIdle();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Trajectories sent but not yet acknowledged (kept for re-sending).</summary>
    internal int Unacknowledged => _unacked.Count;

    public static Props Props(int workerId, EpisodeSettings episodes, IActorRef policyServer, IActorRef dispatcher, IActorRef replay, RolloutWorkerOptions options,
                              IRolloutJournal? journal = null) =>
        Akka.Actor.Props.Create(() => new RolloutWorker(workerId, episodes, policyServer, dispatcher, replay, options, journal));

    protected override void PreStart()
    {
        _address = new WorkerAddress(ClusterAwareness.NodeAddress(Context.System), _workerId);
        TellPolicyServer(mayAsk: true); // a lease is about to be asked for; also resets what a crashed incarnation left
        RequestLeaseIfIdle();
    }

    protected override void PostStop()
    {
        if (_running is not null) DisposeEnvironment(_running.Environment);
    }

    private void StartNextEpisode()
    {
        if (_running is not null || _pausing) return;
        if (!_leases.TryDequeue(out var lease))
        {
            RequestLeaseIfIdle();
            return;
        }
        ITextEnvironment? environment = null;
        try
        {
            environment = _episodes.CreateEnvironment();
            // The stepper resets the environment for trial 1: a failing environment fails here.
            var stepper = new EpisodeStepper(environment, lease.Task, _episodes.Options, _episodes.UseReflector,
                _episodes.PlannerPrompt, _episodes.ReflectorPrompt, Guid.NewGuid());
            _running = new Running(lease, environment, stepper);
            AskForText();
        }
        catch (Exception e)
        {
            _running = null;
            GiveBack(lease, environment, $"environment failed to start task {lease.Task}: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Runs one step of the episode (a submitted text steps the environment); any failure gives the lease back.</summary>
    private void Advance(Action<Running> step)
    {
        var running = _running!;
        try
        {
            step(running);
            if (running.Stepper.Done) Finish(running);
            else AskForText();
        }
        catch (Exception e)
        {
            _running = null;
            GiveBack(running.Lease, running.Environment, $"episode of task {running.Lease.Task} failed: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private void AskForText()
    {
        var running = _running!;
        var pending = running.Stepper.Pending!;
        running.RequestId = _requestIds.Next();
        running.AskedAt = Stopwatch.GetTimestamp();
        _toldMayAsk = true;
        var role = pending.Role == AgentRole.Planner ? PolicyRole.Planner : PolicyRole.Reflector;
        _policyServer.Tell(new GenerateRequest(running.RequestId, role, pending.Prompt));
        if (!Timers.IsTimerActive(GenerationTimer)) Timers.StartSingleTimer(GenerationTimer, GenerationDeadline.Instance, _options.GenerationTimeout);
    }

    /// <summary>Tells the PolicyServer whether this worker may still ask, when that changed since it last heard.</summary>
    private void TellPolicyServer(bool mayAsk)
    {
        if (_toldMayAsk == mayAsk) return;
        _toldMayAsk = mayAsk;
        _policyServer.Tell(mayAsk ? PolicyClientStatus.Playing : PolicyClientStatus.Idle);
    }

    private void Finish(Running running)
    {
        var episode = running.Stepper.Result;
        DisposeEnvironment(running.Environment);
        _running = null;
        var batch = TrajectoryBatch.Create(episode.Id, episode);
        _unacked[batch.TrajectoryId] = (running.Lease, batch);
        Send(batch);
        StartNextEpisode();
    }

    private void Send(TrajectoryBatch batch)
    {
        foreach (var message in TrajectorySplitter.ForTransport(batch)) _replay.Tell(message);
        Timers.StartSingleTimer(AckTimerKey(batch.TrajectoryId), new AckTimeout(batch.TrajectoryId), _options.AckTimeout);
    }

    private void GiveBackRunning(string reason)
    {
        var running = _running!;
        _running = null;
        GiveBack(running.Lease, running.Environment, reason);
    }

    private void GiveBack(TaskLease lease, ITextEnvironment? environment, string reason, Exception? error = null)
    {
        if (error is not null) _log.Warning("{0}; giving lease {1} back ({2})", reason, lease.LeaseId, error.GetType().FullName);
        else _log.Warning("{0}; giving lease {1} back", reason, lease.LeaseId);
        _dispatcher.Tell(new LeaseGivenBack(lease.LeaseId, Bounded(reason)));
        if (environment is not null) DisposeEnvironment(environment);
        Timers.Cancel(GenerationTimer);
        _pausing = true;
        TellPolicyServer(mayAsk: false);
        Timers.StartSingleTimer(ResumeTimer, Resume.Instance, _options.RetryDelay);
    }

    private void RequestLeaseIfIdle()
    {
        if (_running is not null || _pausing || _leases.Count > 0 || _leaseRequested) return;
        _leaseRequested = true;
        _dispatcher.Tell(new LeaseRequest(_address, 1));
        Timers.StartSingleTimer(LeaseTimer, LeaseRequestTimeout.Instance, _options.LeaseRequestRetry);
    }

    private void DisposeEnvironment(ITextEnvironment environment)
    {
        try
        {
            environment.Dispose();
        }
        catch (Exception e)
        {
            _log.Warning("disposing an environment failed: {0}", e.Message);
        }
    }

    private static string AckTimerKey(Guid trajectoryId) => $"ack-{trajectoryId}";

    private static string Bounded(string reason) => reason.Length <= 900 ? reason : reason[..900] + "…";
}

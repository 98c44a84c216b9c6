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
/// Plays leased tasks, up to <see cref="RolloutWorkerOptions.Environments"/> episodes at once (one environment each,
/// as Sample Factory's rollout workers hold several): an <see cref="EpisodeStepper"/> per episode asks for each agent
/// text, the node's PolicyServer writes it, the environment steps inside the stepper. The texts a worker needs at one
/// moment go to the server as one message (<see cref="GenerateRequests"/>; one episode: a plain
/// <see cref="GenerateRequest"/>), and the answers of one batch come back together, so the actor hand-offs per
/// environment step shrink with the number of episodes a worker plays. A finished episode goes to the replay buffer
/// as a <see cref="TrajectoryBatch"/> (or fragments) and is kept, and re-sent on a timer, until acknowledged; only
/// then is its lease reported complete. An environment that throws (e.g. its server is down) ends its episode: the
/// lease is given back with the reason and the worker starts no new episode until a pause has passed (the others go
/// on). Each lease received or given back and each ack is written to the node's <see cref="IRolloutJournal"/>; an unanswered lease request is re-sent (its
/// dispatcher may have died). A worker whose lease request was parked (no task for it) and that plays nothing tells
/// its PolicyServer (<see cref="PolicyClientStatus"/>), so a batch need not wait for it.
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

    /// <summary>One episode being played; it always has one request at the PolicyServer.</summary>
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
    private readonly Dictionary<Guid, Running> _running = []; // by the id of its pending request
    private readonly List<GenerateRequest> _asking = []; // requests made while handling one message, sent together after it
    private WorkerAddress _address = null!;
    private int _leasesOwed; // leases asked for and not yet received
    private bool _pausing;
    private bool? _toldMayAsk; // what the PolicyServer last heard from this worker (a request tells it "playing")

    public RolloutWorker(int workerId, EpisodeSettings episodes, IActorRef policyServer, IActorRef dispatcher, IActorRef replay, RolloutWorkerOptions options,
                         IRolloutJournal? journal = null)
    {
        (_workerId, _episodes, _policyServer, _dispatcher, _replay, _options) = (workerId, episodes, policyServer, dispatcher, replay, options);
        if (options.Environments is < 1 or > LeaseRequest.MaxCount)
            throw new ArgumentException($"rollout worker Environments = {options.Environments}; allowed: 1..{LeaseRequest.MaxCount}");
        _journal = journal ?? NoRolloutJournal.Instance;

        Receive<TaskLease>(lease =>
        {
            if (_leasesOwed > 0 && --_leasesOwed == 0) Timers.Cancel(LeaseTimer);
            Record(() => _journal.LeaseReceived(lease.LeaseId, _workerId, lease.Task.ToString()), "the receipt of lease", lease.LeaseId);
            _leases.Enqueue(lease);
            PlayOn();
        });
        Receive<GenerateResponse>(response =>
        {
            Answered(response);
            PlayOn();
        });
        Receive<GenerateFailed>(failed =>
        {
            Failed(failed);
            PlayOn();
        });
        Receive<GenerateResponses>(answers =>
        {
            foreach (var response in answers.Answers) Answered(response);
            foreach (var failed in answers.Failures) Failed(failed);
            PlayOn();
        });
        Receive<GenerationDeadline>(_ =>
        {
            TimeSpan? soonest = null;
            var queued = _asking.Select(r => r.RequestId).ToHashSet();
            foreach (var running in _running.Values.Where(r => !queued.Contains(r.RequestId)).ToList())
            {
                var waited = Stopwatch.GetElapsedTime(running.AskedAt);
                if (waited >= _options.GenerationTimeout)
                    GiveBack(running, $"no answer from the policy server within {_options.GenerationTimeout.TotalSeconds:0.#} s");
                else if (soonest is null || _options.GenerationTimeout - waited < soonest) soonest = _options.GenerationTimeout - waited;
            }
            if (soonest is { } due) Timers.StartSingleTimer(GenerationTimer, GenerationDeadline.Instance, due); // else re-armed by the next request
            SendRequests(); // the episodes given back no longer hold the others' requests
        });
        Receive<TrajectoryAck>(ack =>
        {
            if (!_unacked.Remove(ack.TrajectoryId, out var sent)) return; // a second ack for a re-sent copy
            Timers.Cancel(AckTimerKey(ack.TrajectoryId));
            Record(() => _journal.TrajectoryAcked(ack.TrajectoryId, sent.Lease.LeaseId, _workerId, ack.Duplicate, sent.Batch.OldestPolicyVersion,
                                                  sent.Batch.NewestPolicyVersion), "the ack of trajectory", ack.TrajectoryId);
            _dispatcher.Tell(new LeaseCompleted(sent.Lease.LeaseId, ack.TrajectoryId));
            RequestLeases();
        });
        Receive<TrajectoryRejected>(rejected =>
        {
            if (!_unacked.Remove(rejected.TrajectoryId, out var sent)) return;
            Timers.Cancel(AckTimerKey(rejected.TrajectoryId));
            _log.Error("replay buffer rejected trajectory {0} of task {1}: {2}", rejected.TrajectoryId, sent.Lease.Task, rejected.Reason);
            ReturnLease(sent.Lease, $"trajectory rejected by the replay buffer: {rejected.Reason}");
            RequestLeases();
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
            PlayOn();
        });
        Receive<LeaseRequestParked>(_ =>
        {
            // No task for this worker now: the PolicyServer need not wait for it until a lease comes and it asks.
            if (_running.Count == 0 && _leases.Count == 0) TellPolicyServer(mayAsk: false);
        });
        Receive<LeaseRequestTimeout>(_ =>
        {
            if (_leasesOwed == 0) return;
            _leasesOwed = 0;
            RequestLeases();
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
        RequestLeases();
    }

    protected override void PostStop()
    {
        foreach (var running in _running.Values) DisposeEnvironment(running.Environment);
    }

    /// <summary>Submits an answer to the episode that asked for it (a late answer to an episode already given back is ignored).</summary>
    private void Answered(GenerateResponse response)
    {
        if (!_running.Remove(response.RequestId, out var running)) return;
        var text = new AgentText(response.Text)
        {
            TokenIds = response.TokenIds,
            BehaviourLogProbs = response.BehaviourLogProbs,
            PolicyVersion = response.PolicyVersion,
        };
        try
        {
            running.Stepper.Submit(text); // steps the environment
            if (running.Stepper.Done) Finish(running);
            else Ask(running);
        }
        catch (Exception e)
        {
            GiveBack(running.Lease, running.Environment, $"episode of task {running.Lease.Task} failed: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private void Failed(GenerateFailed failed)
    {
        if (_running.TryGetValue(failed.RequestId, out var running)) GiveBack(running, $"generation failed: {failed.Reason}");
    }

    /// <summary>After a message changed what the worker plays: starts episodes for free slots, then sends the requests made.</summary>
    private void PlayOn()
    {
        StartEpisodes();
        SendRequests();
    }

    /// <summary>Starts an episode for each queued lease while a slot is free (not while pausing), then asks for the leases still missing.</summary>
    private void StartEpisodes()
    {
        while (!_pausing && _running.Count < _options.Environments && _leases.TryDequeue(out var lease))
        {
            ITextEnvironment? environment = null;
            try
            {
                environment = _episodes.CreateEnvironment();
                // The stepper resets the environment for trial 1: a failing environment fails here.
                var stepper = new EpisodeStepper(environment, lease.Task, _episodes.Options, _episodes.UseReflector,
                    _episodes.PlannerPrompt, _episodes.ReflectorPrompt, Guid.NewGuid());
                Ask(new Running(lease, environment, stepper));
            }
            catch (Exception e)
            {
                GiveBack(lease, environment, $"environment failed to start task {lease.Task}: {e.GetType().Name}: {e.Message}", e);
            }
        }
        RequestLeases();
    }

    /// <summary>Queues the request of <paramref name="running"/>'s pending turn (sent by <see cref="SendRequests"/>).</summary>
    private void Ask(Running running)
    {
        var pending = running.Stepper.Pending!;
        running.RequestId = _requestIds.Next();
        _running[running.RequestId] = running;
        var role = pending.Role == AgentRole.Planner ? PolicyRole.Planner : PolicyRole.Reflector;
        _asking.Add(new GenerateRequest(running.RequestId, role, pending.Prompt, pending.Admissible));
    }

    /// <summary>
    /// Sends the queued requests in one message (a lone request as itself) once none of this worker's requests is
    /// still at the server: the worker's episodes move in lock step, as in the serial driver's runner. Answered one by
    /// one, they would drift apart and each ask alone (a worker of 16 episodes made batches of 1).
    /// </summary>
    private void SendRequests()
    {
        if (_asking.Count == 0 || _running.Count > _asking.Count) return;
        long now = Stopwatch.GetTimestamp();
        foreach (var request in _asking) _running[request.RequestId].AskedAt = now;
        _toldMayAsk = true;
        _policyServer.Tell(_asking.Count == 1 ? _asking[0] : new GenerateRequests([.. _asking]));
        _asking.Clear();
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
        var batch = TrajectoryBatch.Create(episode.Id, episode);
        _unacked[batch.TrajectoryId] = (running.Lease, batch);
        Send(batch);
    }

    private void Send(TrajectoryBatch batch)
    {
        // Only a message that crosses the network has a frame to fit; measuring one for a replay buffer in this
        // process would encode every trajectory once more for nothing.
        if (_replay.Path.Address.HasLocalScope) _replay.Tell(batch);
        else
            foreach (var message in TrajectorySplitter.ForTransport(batch)) _replay.Tell(message);
        Timers.StartSingleTimer(AckTimerKey(batch.TrajectoryId), new AckTimeout(batch.TrajectoryId), _options.AckTimeout);
    }

    private void GiveBack(Running running, string reason)
    {
        _running.Remove(running.RequestId);
        GiveBack(running.Lease, running.Environment, reason);
    }

    /// <summary>Gives the lease back with <paramref name="reason"/> and pauses: no new episode starts until <see cref="Resume"/>.</summary>
    private void GiveBack(TaskLease lease, ITextEnvironment? environment, string reason, Exception? error = null)
    {
        if (error is not null) _log.Warning("{0}; giving lease {1} back ({2})", reason, lease.LeaseId, error.GetType().FullName);
        else _log.Warning("{0}; giving lease {1} back", reason, lease.LeaseId);
        ReturnLease(lease, reason);
        if (environment is not null) DisposeEnvironment(environment);
        _pausing = true;
        if (_running.Count == 0 && _asking.Count == 0)
        {
            Timers.Cancel(GenerationTimer);
            TellPolicyServer(mayAsk: false);
        }
        Timers.StartSingleTimer(ResumeTimer, Resume.Instance, _options.RetryDelay);
    }

    /// <summary>
    /// Records in the node journal that <paramref name="lease"/> is given back, then gives it back to the dispatcher (it
    /// re-issues the task): as with acks, the journal never shows a lease held that the dispatcher already counts as closed.
    /// </summary>
    private void ReturnLease(TaskLease lease, string reason)
    {
        Record(() => _journal.LeaseGivenBack(lease.LeaseId, _workerId, lease.Task.ToString()), "the give-back of lease", lease.LeaseId);
        _dispatcher.Tell(new LeaseGivenBack(lease.LeaseId, Bounded(reason)));
    }

    /// <summary>
    /// Writes one entry to the node journal; a journal that cannot be written is logged (<paramref name="what"/> and
    /// <paramref name="id"/>, formatted only then), never allowed to stop the worker.
    /// </summary>
    private void Record(Action write, string what, Guid id)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            _log.Error(e, "could not record {0} {1} in the node journal", what, id);
        }
    }

    /// <summary>
    /// Asks the dispatcher for a lease for every free slot, when more are free than already asked for (none while
    /// pausing). Each request states the whole need: the dispatcher keeps only a worker's latest parked request.
    /// </summary>
    private void RequestLeases()
    {
        if (_pausing) return;
        int missing = _options.Environments - _running.Count - _leases.Count;
        if (missing <= _leasesOwed) return;
        _leasesOwed = missing;
        _dispatcher.Tell(new LeaseRequest(_address, missing));
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

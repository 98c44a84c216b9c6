using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Replay;

/// <summary>
/// The replay buffer actor: stores trajectories from rollout workers in a <see cref="ReplayStore"/> (bounded,
/// de-duplicated, write-ahead logged) and acknowledges each only after the durable append, so a worker's re-send
/// after a lost ack is stored once. Appends are group-committed: each trajectory is written to the log at once, and
/// one flush (fsync) covers every trajectory that was waiting in the mailbox, after which all of them are acked.
/// Answers the learner's <see cref="SampleRequest"/> by sending each sampled trajectory (whole or in fragments) and
/// then a closing <see cref="SampleReply"/>.
/// </summary>
public sealed class ReplayBuffer : ReceiveActor, IWithTimers
{
    private sealed record ReportTick
    {
        public static readonly ReportTick Instance = new();
    }

    // Sent to self when the first unflushed trajectory is written: it queues behind the trajectories already in the
    // mailbox, so one fsync commits all of them (bench cluster: one fsync per trajectory capped ingest at ~400/s).
    private sealed record CommitTick
    {
        public static readonly CommitTick Instance = new();
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ReplayStoreOptions _options;
    private readonly IActorRef _metrics;
    private readonly TrajectoryReassembler _reassembler = new();
    private readonly List<(IActorRef ReplyTo, TrajectoryAck Ack)> _uncommitted = [];
    private ReplayStore _store = null!;

    public ReplayBuffer(ReplayStoreOptions options, IActorRef metrics, TimeSpan reportEvery)
    {
        _options = options;
        _metrics = metrics;
        Receive<TrajectoryBatch>(Store);
        Receive<TrajectoryFragment>(fragment =>
        {
            TrajectoryBatch? whole;
            try
            {
                whole = _reassembler.Add(fragment);
            }
            catch (InvalidDataException e)
            {
                _log.Warning("trajectory {0} rejected: {1}", fragment.TrajectoryId, e.Message);
                Sender.Tell(new TrajectoryRejected(fragment.TrajectoryId, Bounded(e.Message)));
                return;
            }
            if (whole is not null) Store(whole);
        });
        Receive<CommitTick>(_ => Commit());
        Receive<SampleRequest>(request =>
        {
            Commit(); // the learner only ever sees durable trajectories
            var sample = _store.Sample(request.Count, request.Mode, request.CurrentPolicyVersion);
            if (sample.DroppedStale > 0)
                _log.Info("dropped {0} trajectories older than policy version {1} − {2}", sample.DroppedStale, request.CurrentPolicyVersion, _options.MaxPolicyLag);
            foreach (var batch in sample.Trajectories)
                foreach (var message in TrajectorySplitter.ForTransport(batch))
                    Sender.Tell(message);
            Sender.Tell(new SampleReply(request.RequestId, [.. sample.Trajectories.Select(t => t.TrajectoryId)], sample.DroppedStale));
        });
        Receive<ReportTick>(_ => ReportMetrics());
        if (reportEvery > TimeSpan.Zero) Timers!.StartPeriodicTimer("report", ReportTick.Instance, reportEvery);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The buffer's props; <paramref name="metrics"/> receives its counters every <paramref name="reportEvery"/> (zero: never).</summary>
    public static Props Props(ReplayStoreOptions options, IActorRef metrics, TimeSpan reportEvery) =>
        Akka.Actor.Props.Create(() => new ReplayBuffer(options, metrics, reportEvery));

    protected override void PreStart()
    {
        // Opening replays the write-ahead log: whatever was acknowledged before a crash is back.
        _store = new ReplayStore(_options);
        if (_store.Recovery is { } recovery)
        {
            if (recovery.WasClean) _log.Info("replay log {0}: {1} trajectories recovered", _options.WalPath, _store.Count);
            else _log.Warning("replay log {0} was damaged: {1}; {2} trajectories recovered", _options.WalPath, recovery, _store.Count);
        }
    }

    protected override void PostStop() => _store?.Dispose();

    private void Store(TrajectoryBatch batch)
    {
        TrajectoryAck ack;
        try
        {
            ack = _store.Add(batch, durable: false); // written now, flushed by the next commit, acked after it
        }
        catch (ArgumentException e)
        {
            _log.Warning("trajectory {0} rejected: {1}", batch.TrajectoryId, e.Message);
            Sender.Tell(new TrajectoryRejected(batch.TrajectoryId, Bounded(e.Message)));
            return;
        }
        if (_uncommitted.Count == 0) Self.Tell(CommitTick.Instance);
        _uncommitted.Add((Sender, ack));
    }

    /// <summary>One flush for every trajectory written since the last, then their acks. Unacked ones are re-sent by their workers if this fails.</summary>
    private void Commit()
    {
        if (_uncommitted.Count == 0) return;
        _store.Commit();
        foreach (var (replyTo, ack) in _uncommitted) replyTo.Tell(ack);
        _uncommitted.Clear();
    }

    private void ReportMetrics()
    {
        var c = _store.Counters;
        _metrics.Tell(new MetricsReport("replay", DateTimeOffset.UtcNow, new Dictionary<string, double>
        {
            ["held"] = c.Held,
            ["stored"] = c.Stored,
            ["duplicates"] = c.Duplicates,
            ["evicted"] = c.Evicted,
            ["dropped_stale"] = c.DroppedStale,
            ["sampled"] = c.Sampled,
        }));
    }

    private static string Bounded(string reason) => reason.Length <= 300 ? reason : reason[..300] + "…";
}

using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Dispatch;

/// <summary>
/// Hands tasks to rollout workers as leases (<see cref="TaskLeases"/> holds the logic). A worker asks with a
/// <see cref="LeaseRequest"/>; when no task waits (or the worker is at its bound) the request is parked and served
/// as soon as a task arrives or a lease closes; a worker parked because no task is queued is told so
/// (<see cref="LeaseRequestParked"/>). Leases come back as completions or give-backs; overdue leases and
/// those of a node the cluster removed are re-issued.
/// </summary>
public sealed class TaskDispatcher : ReceiveActor, IWithTimers
{
    private sealed record ExpiryTick
    {
        public static readonly ExpiryTick Instance = new();
    }

    private sealed record ReportTick
    {
        public static readonly ReportTick Instance = new();
    }

    private readonly TaskLeases _leases;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Requests that could not be served yet, oldest first; one per worker (the latest count wins).
    private readonly Dictionary<WorkerAddress, (IActorRef Worker, int Count)> _waiting = [];
    private readonly List<WorkerAddress> _waitingOrder = [];

    public TaskDispatcher(TaskLeaseOptions options, TimeProvider clock, IActorRef? metrics = null, TimeSpan reportEvery = default)
    {
        _leases = new TaskLeases(options, clock);
        var tick = TimeSpan.FromTicks(Math.Clamp(options.LeaseDuration.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(10).Ticks));

        Receive<EnqueueTasks>(m =>
        {
            _leases.Enqueue(m.Tasks);
            ServeWaiting();
        });
        Receive<LeaseRequest>(m =>
        {
            // Only "no task queued" is news: a worker at its bound is served as soon as one of its leases completes.
            if (Lease(m.Worker, Sender, m.Count) == 0 && _leases.Pending == 0) Sender.Tell(new LeaseRequestParked(m.Count));
        });
        Receive<LeaseCompleted>(m =>
        {
            if (_leases.Complete(m.LeaseId) == LeaseOutcome.Unknown)
                _log.Info("lease {0} completed late (already re-issued); trajectory {1} is kept", m.LeaseId, m.TrajectoryId);
            ServeWaiting();
        });
        Receive<LeaseGivenBack>(m =>
        {
            if (_leases.GiveBack(m.LeaseId, m.Reason) == LeaseOutcome.Closed)
                _log.Warning("lease {0} given back by {1}: {2}; task re-issued", m.LeaseId, Sender.Path, m.Reason);
            else
                _log.Info("lease {0} given back late ({1}); its task was already re-issued", m.LeaseId, m.Reason);
            ServeWaiting();
        });
        Receive<ExpiryTick>(_ =>
        {
            int expired = _leases.ExpireOverdue();
            if (expired > 0)
            {
                _log.Warning("{0} overdue lease(s) re-issued", expired);
                ServeWaiting();
            }
        });
        Receive<ClusterEvent.UnreachableMember>(m => NodeDown(m.Member.Address.ToString(), "unreachable"));
        Receive<ClusterEvent.MemberRemoved>(m => NodeDown(m.Member.Address.ToString(), "removed"));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<Terminated>(m =>
        {
            foreach (var worker in _waiting.Where(w => w.Value.Worker.Equals(m.ActorRef)).Select(w => w.Key).ToList()) StopWaiting(worker);
        });
        Receive<GetTaskLeaseCounters>(_ => Sender.Tell(_leases.Counters));
        Receive<ReportTick>(_ =>
        {
            var c = _leases.Counters;
            metrics?.Tell(new MetricsReport("dispatcher", DateTimeOffset.UtcNow, new Dictionary<string, double>
            {
                ["issued"] = c.Issued,
                ["completed"] = c.Completed,
                ["reissued"] = c.Reissued,
                ["given_back"] = c.GivenBack,
                ["expired"] = c.Expired,
                ["lost_with_node"] = c.LostWithNode,
                ["late_reports"] = c.LateReports,
                ["pending"] = c.Pending,
                ["outstanding"] = c.Outstanding,
            }));
        });

        Timers!.StartPeriodicTimer("expiry", ExpiryTick.Instance, tick);
        if (metrics is not null && reportEvery > TimeSpan.Zero) Timers.StartPeriodicTimer("report", ReportTick.Instance, reportEvery);
    }

    /// <summary>Asks the dispatcher for a snapshot of its counters (answered with <see cref="TaskLeaseCounters"/>). Local only.</summary>
    public sealed record GetTaskLeaseCounters
    {
        public static readonly GetTaskLeaseCounters Instance = new();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The dispatcher's props; <paramref name="metrics"/> (when given) receives its counters every <paramref name="reportEvery"/>.</summary>
    public static Props Props(TaskLeaseOptions options, TimeProvider? clock = null, IActorRef? metrics = null, TimeSpan reportEvery = default) =>
        Akka.Actor.Props.Create(() => new TaskDispatcher(options, clock ?? TimeProvider.System, metrics, reportEvery));

    protected override void PreStart()
    {
        if (ClusterAwareness.IsClustered(Context.System))
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
                typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        if (ClusterAwareness.IsClustered(Context.System)) Cluster.Get(Context.System).Unsubscribe(Self);
    }

    /// <summary>Leases what it can to <paramref name="worker"/> and parks the rest of its request; returns the leases sent.</summary>
    private int Lease(WorkerAddress address, IActorRef worker, int count)
    {
        var leases = _leases.Request(address, count);
        foreach (var lease in leases) worker.Tell(lease);
        if (leases.Count < count)
        {
            if (!_waiting.ContainsKey(address))
            {
                _waitingOrder.Add(address);
                Context.Watch(worker);
            }
            _waiting[address] = (worker, count - leases.Count);
        }
        else
        {
            StopWaiting(address);
        }
        return leases.Count;
    }

    private void ServeWaiting()
    {
        foreach (var address in _waitingOrder.ToList())
        {
            if (_leases.Pending == 0) return;
            if (_waiting.TryGetValue(address, out var waiting)) Lease(address, waiting.Worker, waiting.Count);
        }
    }

    private void StopWaiting(WorkerAddress address)
    {
        if (_waiting.Remove(address)) _waitingOrder.Remove(address);
    }

    private void NodeDown(string node, string how)
    {
        int lost = _leases.NodeDown(node);
        foreach (var address in _waiting.Keys.Where(w => w.Node == node).ToList()) StopWaiting(address);
        if (lost > 0) _log.Warning("node {0} {1}: {2} lease(s) re-issued", node, how, lost);
        ServeWaiting();
    }
}

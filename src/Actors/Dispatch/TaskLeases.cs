using RetroAct.Actors.Protocol;
using RetroAct.Core.Environments;

namespace RetroAct.Actors.Dispatch;

/// <summary>What happened to a lease a worker reported on.</summary>
public enum LeaseOutcome
{
    /// <summary>The lease was outstanding and is now closed.</summary>
    Closed,

    /// <summary>No such outstanding lease: it already expired (and its task was re-issued), its node was declared down, or it never existed.</summary>
    Unknown,
}

/// <summary>A snapshot of the dispatcher's counters.</summary>
public sealed record TaskLeaseCounters(long Issued, long Completed, long Reissued, long GivenBack, long Expired, long LostWithNode, long LateReports,
                                       int Pending, int Outstanding);

/// <summary>
/// The TaskDispatcher's logic as a plain class. Tasks wait in a queue; a worker gets leases (task + lease id +
/// deadline) up to a per-worker bound; a lease ends by completion, or its task goes back to the front of the queue
/// when the worker gives it back, its node goes down, or its deadline passes. Time comes from an injected clock.
/// Not thread-safe: the dispatcher actor owns it.
/// </summary>
public sealed class TaskLeases
{
    private readonly TaskLeaseOptions _options;
    private readonly TimeProvider _clock;
    private readonly LinkedList<TaskSpec> _pending = new();
    private readonly Dictionary<Guid, Lease> _outstanding = [];
    private readonly Dictionary<WorkerAddress, HashSet<Guid>> _byWorker = [];
    private long _issued, _completed, _reissued, _givenBack, _expired, _lostWithNode, _lateReports;

    public TaskLeases(TaskLeaseOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"invalid task lease options: {string.Join("; ", problems)}", nameof(options));
        _options = options;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>Tasks waiting for a worker.</summary>
    public int Pending => _pending.Count;

    /// <summary>Leases held by workers now.</summary>
    public int Outstanding => _outstanding.Count;

    public TaskLeaseCounters Counters =>
        new(_issued, _completed, _reissued, _givenBack, _expired, _lostWithNode, _lateReports, Pending, Outstanding);

    /// <summary>Leases <paramref name="worker"/> holds now.</summary>
    public int OutstandingFor(WorkerAddress worker) => _byWorker.TryGetValue(worker, out var held) ? held.Count : 0;

    /// <summary>Queues new tasks behind those already waiting.</summary>
    public void Enqueue(IEnumerable<TaskSpec> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        foreach (var task in tasks) _pending.AddLast(task ?? throw new ArgumentException("a queued task is null", nameof(tasks)));
    }

    /// <summary>
    /// Leases up to <paramref name="wanted"/> tasks to <paramref name="worker"/>, never beyond its outstanding bound;
    /// returns fewer (or none) when the worker is at its bound or no task is waiting.
    /// </summary>
    public IReadOnlyList<TaskLease> Request(WorkerAddress worker, int wanted)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wanted);
        int room = _options.MaxOutstandingPerWorker - OutstandingFor(worker);
        int n = Math.Min(Math.Min(wanted, room), _pending.Count);
        if (n <= 0) return [];
        if (!_byWorker.TryGetValue(worker, out var held)) _byWorker[worker] = held = [];
        var deadline = _clock.GetUtcNow() + _options.LeaseDuration;
        var leases = new List<TaskLease>(n);
        for (int i = 0; i < n; i++)
        {
            var task = _pending.First!.Value;
            _pending.RemoveFirst();
            var lease = new TaskLease(Guid.NewGuid(), task, deadline);
            _outstanding.Add(lease.LeaseId, new Lease(lease, worker, _issued + i));
            held.Add(lease.LeaseId);
            leases.Add(lease);
        }
        _issued += n;
        return leases;
    }

    /// <summary>The worker finished the task. A report on an unknown lease (expired, node declared down) is counted, not an error: its trajectory is still good.</summary>
    public LeaseOutcome Complete(Guid leaseId)
    {
        if (!TryClose(leaseId, out _)) return LeaseOutcome.Unknown;
        _completed++;
        return LeaseOutcome.Closed;
    }

    /// <summary>The worker cannot run the task (for example its environment server is down); the task goes to the front of the queue.</summary>
    public LeaseOutcome GiveBack(Guid leaseId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!TryClose(leaseId, out var lease)) return LeaseOutcome.Unknown;
        _givenBack++;
        Reissue(lease.Task);
        return LeaseOutcome.Closed;
    }

    /// <summary>The cluster declared <paramref name="node"/> down: every lease held by its workers is re-issued. Returns how many.</summary>
    public int NodeDown(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var lost = _outstanding.Values.Where(l => l.Worker.Node == node).OrderByDescending(l => l.IssueOrder).ToList();
        foreach (var lease in lost)
        {
            TryClose(lease.Task.LeaseId, out _);
            Reissue(lease.Task.Task);
        }
        _lostWithNode += lost.Count;
        foreach (var worker in _byWorker.Keys.Where(w => w.Node == node).ToList()) _byWorker.Remove(worker);
        return lost.Count;
    }

    /// <summary>Re-issues every lease whose deadline has passed on the injected clock. Returns how many; call it on a timer.</summary>
    public int ExpireOverdue()
    {
        var now = _clock.GetUtcNow();
        var overdue = _outstanding.Values.Where(l => l.Task.Deadline <= now).OrderByDescending(l => l.IssueOrder).ToList();
        foreach (var lease in overdue)
        {
            TryClose(lease.Task.LeaseId, out _);
            Reissue(lease.Task.Task);
        }
        _expired += overdue.Count;
        return overdue.Count;
    }

    private bool TryClose(Guid leaseId, out TaskLease lease)
    {
        if (!_outstanding.Remove(leaseId, out var held))
        {
            _lateReports++;
            lease = null!;
            return false;
        }
        _byWorker[held.Worker].Remove(leaseId);
        lease = held.Task;
        return true;
    }

    // A re-issued task jumps the queue: it is older than everything waiting and its episode is already overdue.
    // Callers re-issue the latest-issued lease first, so the earliest-issued task ends up at the very front.
    private void Reissue(TaskSpec task)
    {
        _pending.AddFirst(task);
        _reissued++;
    }

    private sealed record Lease(TaskLease Task, WorkerAddress Worker, long IssueOrder);
}

using MessagePack;
using RetroAct.Core.Environments;

namespace RetroAct.Actors.Protocol;

// TaskDispatcher <-> RolloutWorker: task leases with backpressure (a worker holds a bounded number of leases).
// Bounds: a TaskSpec is a few short names (environment, split, task type) plus a seed, well under 1 KB; the
// serializer's frame check is the backstop because TaskSpec lives in Core and does not bound its own strings.

/// <summary>Names one rollout worker in the cluster: the node's address (as Akka prints it) and the worker's index on that node.</summary>
[MessagePackObject]
public sealed record WorkerAddress(string Node, int WorkerId)
{
    /// <summary>Longest node address accepted (UTF-8 bytes).</summary>
    public const int MaxNodeBytes = 512;

    [Key(0)] public string Node { get; } = FrameBudget.Text(Node, MaxNodeBytes, nameof(WorkerAddress), nameof(Node));
    [Key(1)] public int WorkerId { get; } = WorkerId;

    public override string ToString() => $"{Node}#{WorkerId}";
}

/// <summary>A worker asks for up to <see cref="Count"/> more task leases. Bound: ~0.6 KB.</summary>
[MessagePackObject]
public sealed record LeaseRequest(WorkerAddress Worker, int Count) : IClusterMessage
{
    /// <summary>Most leases one request may ask for.</summary>
    public const int MaxCount = 64;

    [Key(0)] public WorkerAddress Worker { get; } = Worker ?? throw new ArgumentNullException(nameof(Worker));
    [Key(1)] public int Count { get; } = FrameBudget.InRange(Count, 1, MaxCount, nameof(LeaseRequest), nameof(Count));
}

/// <summary>
/// The dispatcher had no lease for a <see cref="LeaseRequest"/> because no task is queued: the request is parked, and
/// <see cref="Count"/> leases follow when tasks come. (A worker at its lease bound is parked without this message: it
/// is served as soon as one of its leases completes.) A rollout worker with nothing to play
/// takes it as its cue to tell its PolicyServer not to wait for it. Bound: ~10 B.
/// </summary>
[MessagePackObject]
public sealed record LeaseRequestParked(int Count) : IClusterMessage
{
    [Key(0)] public int Count { get; } = FrameBudget.InRange(Count, 1, LeaseRequest.MaxCount, nameof(LeaseRequestParked), nameof(Count));
}

/// <summary>One task handed to a worker until <see cref="Deadline"/>; after it the dispatcher re-issues the task. Bound: ~1 KB.</summary>
[MessagePackObject]
public sealed record TaskLease(
    [property: Key(0)] Guid LeaseId,
    [property: Key(1)] TaskSpec Task,
    [property: Key(2)] DateTimeOffset Deadline) : IClusterMessage;

/// <summary>The worker finished the leased task; its trajectory went to the replay buffer under <see cref="TrajectoryId"/>. Bound: ~80 B.</summary>
[MessagePackObject]
public sealed record LeaseCompleted(
    [property: Key(0)] Guid LeaseId,
    [property: Key(1)] Guid TrajectoryId) : IClusterMessage;

/// <summary>
/// The worker returns a lease it cannot run (for example its environment server is down); the task is re-issued.
/// Bound: ~1.1 KB.
/// </summary>
[MessagePackObject]
public sealed record LeaseGivenBack(Guid LeaseId, string Reason) : IClusterMessage
{
    /// <summary>Longest reason accepted (UTF-8 bytes).</summary>
    public const int MaxReasonBytes = 1024;

    [Key(0)] public Guid LeaseId { get; } = LeaseId;
    [Key(1)] public string Reason { get; } = FrameBudget.Text(Reason, MaxReasonBytes, nameof(LeaseGivenBack), nameof(Reason));
}

/// <summary>
/// The learner queues tasks for the rollout workers (one RL iteration's worth at a time: the learner's pace is the
/// backpressure on rollouts). Bound: ≤ <see cref="MaxTasks"/> tasks × ~1 KB.
/// </summary>
[MessagePackObject]
public sealed record EnqueueTasks(IReadOnlyList<TaskSpec> Tasks) : IClusterMessage
{
    /// <summary>Most tasks one message may carry (send several messages for more).</summary>
    public const int MaxTasks = 64;

    [Key(0)] public IReadOnlyList<TaskSpec> Tasks { get; } = FrameBudget.Count(Tasks, MaxTasks, nameof(EnqueueTasks), nameof(Tasks));
}

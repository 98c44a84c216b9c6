using MessagePack;

namespace RetroAct.Actors.Protocol;

// Learner <-> ReplayBuffer. The buffer answers a SampleRequest by sending each sampled trajectory as a
// TrajectoryBatch (or its fragments) and then one SampleReply listing the ids. Akka keeps messages between one
// sender and one receiver in order, so when the SampleReply arrives every trajectory it names has arrived too.

/// <summary>How the replay buffer picks trajectories.</summary>
public enum SamplingMode
{
    /// <summary>Oldest first, each stored trajectory handed out once (a queue: on-policy-like).</summary>
    Fifo = 0,

    /// <summary>Random, weighted towards recent trajectories (weight halves every half-life of newer arrivals).</summary>
    Recency = 1,

    /// <summary>Random, weighted by priority: a given priority, else |total return| (plus a floor so none starves).</summary>
    Prioritised = 2,

    /// <summary>Random, every stored trajectory equally likely.</summary>
    Uniform = 3,
}

/// <summary>
/// The learner asks for up to <see cref="Count"/> trajectories; the buffer first drops those older than
/// <see cref="CurrentPolicyVersion"/> − max_policy_lag. Bound: ~60 B.
/// </summary>
[MessagePackObject]
public sealed record SampleRequest(Guid RequestId, int Count, SamplingMode Mode, long CurrentPolicyVersion) : IClusterMessage
{
    /// <summary>Most trajectories one request may ask for (keeps <see cref="SampleReply"/> within the frame).</summary>
    public const int MaxCount = 1024;

    [Key(0)] public Guid RequestId { get; } = RequestId;
    [Key(1)] public int Count { get; } = FrameBudget.InRange(Count, 1, MaxCount, nameof(SampleRequest), nameof(Count));
    [Key(2)] public SamplingMode Mode { get; } = Mode;
    [Key(3)] public long CurrentPolicyVersion { get; } = CurrentPolicyVersion;
}

/// <summary>
/// Closes a sample: the ids sent (fewer than asked when the buffer holds fewer) and how many stale trajectories were
/// dropped on the way. Bound: ≤ 1024 ids × 18 B ≈ 19 KB.
/// </summary>
[MessagePackObject]
public sealed record SampleReply(Guid RequestId, IReadOnlyList<Guid> TrajectoryIds, int DroppedStale) : IClusterMessage
{
    [Key(0)] public Guid RequestId { get; } = RequestId;
    [Key(1)] public IReadOnlyList<Guid> TrajectoryIds { get; } = FrameBudget.Count(TrajectoryIds, SampleRequest.MaxCount, nameof(SampleReply), nameof(TrajectoryIds));
    [Key(2)] public int DroppedStale { get; } = DroppedStale;
}

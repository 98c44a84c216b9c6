using MessagePack;
using RetroAct.Core.Trajectories;

namespace RetroAct.Actors.Protocol;

// RolloutWorker -> ReplayBuffer: finished episodes, at least once (the worker re-sends until acked); the buffer
// de-duplicates by trajectory id. The same two message shapes carry sampled trajectories to the Learner.

/// <summary>
/// One finished episode on its way to (or from) the replay buffer, with the range of policy versions that produced it
/// (turns and reflections written by scripted agents carry version −1 and do not count).
/// Bound: none by construction — an episode's size depends on its length. Senders pass it through
/// <see cref="Replay.TrajectorySplitter"/>, which sends it as is when it fits <see cref="FrameBudget.MaxMessageBytes"/>
/// and as <see cref="TrajectoryFragment"/>s otherwise; the serializer refuses an oversized batch with a clear error.
/// </summary>
[MessagePackObject]
public sealed record TrajectoryBatch(
    [property: Key(0)] Guid TrajectoryId,
    [property: Key(1)] Episode Episode,
    [property: Key(2)] long OldestPolicyVersion,
    [property: Key(3)] long NewestPolicyVersion) : IClusterMessage
{
    /// <summary>Wraps an episode, reading the policy versions from its turns and reflections.</summary>
    public static TrajectoryBatch Create(Guid trajectoryId, Episode episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var versions = episode.Trials.SelectMany(t => t.Turns).Select(t => t.PolicyVersion)
            .Concat(episode.Reflections.Select(r => r.PolicyVersion))
            .Where(v => v >= 0)
            .ToList();
        return versions.Count == 0
            ? new TrajectoryBatch(trajectoryId, episode, -1, -1)
            : new TrajectoryBatch(trajectoryId, episode, versions.Min(), versions.Max());
    }

    /// <summary>The sum of the trials' returns: the default priority for prioritised sampling is its magnitude.</summary>
    [IgnoreMember]
    public double TotalReturn => Episode.Trials.Sum(t => t.Return);
}

/// <summary>
/// One piece of a <see cref="TrajectoryBatch"/> too large for a single message: bytes [Index × chunk, ...) of its
/// MessagePack encoding. Bound: ≤ <see cref="MaxBytes"/> payload + ~60 B header.
/// </summary>
[MessagePackObject]
public sealed record TrajectoryFragment(Guid TrajectoryId, int Index, int Count, byte[] Bytes) : IClusterMessage
{
    /// <summary>Largest fragment payload; also the size the splitter cuts at.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Most fragments one trajectory may be cut into (64 MiB in all): a guard against absurd counts from a peer.</summary>
    public const int MaxCount = 1024;

    [Key(0)] public Guid TrajectoryId { get; } = TrajectoryId;
    // Count is checked before Index (initializers run in declaration order); the keys follow the constructor.
    [Key(2)] public int Count { get; } = FrameBudget.InRange(Count, 1, MaxCount, nameof(TrajectoryFragment), nameof(Count));
    [Key(1)] public int Index { get; } = FrameBudget.InRange(Index, 0, Count - 1, nameof(TrajectoryFragment), nameof(Index));
    [Key(3)] public byte[] Bytes { get; } = FrameBudget.Count(Bytes, MaxBytes, nameof(TrajectoryFragment), nameof(Bytes));
}

/// <summary>
/// The replay buffer holds the trajectory durably (written to its log before this ack is sent). <see cref="Duplicate"/>
/// says it had it already: the worker's re-send was acknowledged again but stored once. Bound: ~45 B.
/// </summary>
[MessagePackObject]
public sealed record TrajectoryAck(
    [property: Key(0)] Guid TrajectoryId,
    [property: Key(1)] bool Duplicate) : IClusterMessage;

/// <summary>The replay buffer refused the trajectory and says why (malformed, fragments inconsistent). The worker must not re-send it. Bound: ~1.1 KB.</summary>
[MessagePackObject]
public sealed record TrajectoryRejected(Guid TrajectoryId, string Reason) : IClusterMessage
{
    /// <summary>Longest reason accepted (UTF-8 bytes).</summary>
    public const int MaxReasonBytes = 1024;

    [Key(0)] public Guid TrajectoryId { get; } = TrajectoryId;
    [Key(1)] public string Reason { get; } = FrameBudget.Text(Reason, MaxReasonBytes, nameof(TrajectoryRejected), nameof(Reason));
}

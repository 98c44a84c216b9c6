using MessagePack;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Replay;

/// <summary>What a <see cref="ReplayLogRecord"/> records.</summary>
public enum ReplayLogKind
{
    /// <summary>A trajectory was stored, with its sampling priority.</summary>
    Stored = 0,

    /// <summary>Trajectories left the store other than by capacity eviction (stale), or were forgotten before a compaction; their ids stay known for de-duplication.</summary>
    Forgotten = 1,
}

/// <summary>
/// One record of the replay store's write-ahead log (the on-disk format: keep keys stable). Capacity evictions are
/// not logged because rebuilding replays the same arrivals through the same capacity and evicts the same ones.
/// </summary>
[MessagePackObject]
public sealed record ReplayLogRecord(
    [property: Key(0)] ReplayLogKind Kind,
    [property: Key(1)] TrajectoryBatch? Stored,
    [property: Key(2)] double Priority,
    [property: Key(3)] Guid[] ForgottenIds)
{
    public static ReplayLogRecord ForStored(TrajectoryBatch batch, double priority) => new(ReplayLogKind.Stored, batch, priority, []);

    public static ReplayLogRecord ForForgotten(Guid[] ids) => new(ReplayLogKind.Forgotten, null, 0, ids);
}

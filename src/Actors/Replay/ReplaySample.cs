using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Replay;

/// <summary>The trajectories one sample picked, and how many stale ones were dropped before picking.</summary>
public sealed record ReplaySample(IReadOnlyList<TrajectoryBatch> Trajectories, int DroppedStale);

/// <summary>A snapshot of a replay store's counters (cumulative since the store was created, except <see cref="Held"/>).</summary>
public sealed record ReplayCounters(int Held, long Stored, long Duplicates, long Evicted, long DroppedStale, long Sampled);

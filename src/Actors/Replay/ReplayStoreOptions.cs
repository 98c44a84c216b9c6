using RetroAct.Core.Configuration;

namespace RetroAct.Actors.Replay;

/// <summary>Settings of a <see cref="ReplayStore"/>.</summary>
public sealed record ReplayStoreOptions : IValidatedConfig
{
    /// <summary>Most trajectories held; the oldest is evicted when a new one arrives at capacity.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>A trajectory whose oldest policy version is below current − this is dropped at sampling (counted).</summary>
    public int MaxPolicyLag { get; init; } = 4;

    /// <summary>Seed of the sampling RNG: the same seed and the same arrivals give the same samples.</summary>
    public int Seed { get; init; }

    /// <summary>Write-ahead log file; null keeps the store in memory only (serial mode, tests).</summary>
    public string? WalPath { get; init; }

    /// <summary>Added to |total return| for the default priority, so zero-return trajectories are still sampled sometimes.</summary>
    public double PriorityFloor { get; init; } = 0.01;

    /// <summary>Recency sampling: a trajectory's weight halves for every this-many newer arrivals.</summary>
    public double RecencyHalfLife { get; init; } = 1_000;

    /// <summary>How many evicted or dropped trajectory ids are remembered, so a late re-send is acknowledged but not stored again.</summary>
    public int DedupHistory { get; init; } = 40_000;

    public IEnumerable<string> Validate()
    {
        if (Capacity < 1) yield return $"replay.capacity = {Capacity}: must be >= 1";
        if (MaxPolicyLag < 0) yield return $"replay.max_policy_lag = {MaxPolicyLag}: must be >= 0";
        if (WalPath is { Length: 0 }) yield return "replay.wal_path is empty: give a file path, or leave it unset for an in-memory store";
        if (!(PriorityFloor > 0) || double.IsInfinity(PriorityFloor)) yield return $"replay.priority_floor = {PriorityFloor}: must be a finite number > 0";
        if (!(RecencyHalfLife > 0) || double.IsInfinity(RecencyHalfLife)) yield return $"replay.recency_half_life = {RecencyHalfLife}: must be a finite number > 0";
        if (DedupHistory < 0) yield return $"replay.dedup_history = {DedupHistory}: must be >= 0";
    }
}

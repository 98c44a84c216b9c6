using RetroAct.Core.Configuration;

namespace RetroAct.Actors.Dispatch;

/// <summary>Settings of <see cref="TaskLeases"/>.</summary>
public sealed record TaskLeaseOptions : IValidatedConfig
{
    /// <summary>How long a worker may hold a task before it is re-issued to someone else.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Most leases one worker holds at once (played, or finished and waiting for the replay buffer's ack): the
    /// backpressure that stops a fast node from hoarding tasks. Two per environment of the runtime's default workers
    /// (<see cref="Hosting.ActorRuntimeOptions.Workers"/>): one being played, one whose trajectory awaits its ack.
    /// </summary>
    public int MaxOutstandingPerWorker { get; init; } = 8;

    public IEnumerable<string> Validate()
    {
        if (LeaseDuration <= TimeSpan.Zero) yield return $"dispatch.lease_duration = {LeaseDuration}: must be > 0";
        if (MaxOutstandingPerWorker < 1) yield return $"dispatch.max_outstanding_per_worker = {MaxOutstandingPerWorker}: must be >= 1";
    }
}

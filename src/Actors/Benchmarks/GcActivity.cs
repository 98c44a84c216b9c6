namespace RetroAct.Actors.Benchmarks;

/// <summary>Managed allocation and garbage collection over an interval (process-wide counters, differenced).</summary>
public sealed record GcActivity(long AllocatedBytes, int Gen0, int Gen1, int Gen2, double PauseSeconds)
{
    /// <summary>Starts counting; calling the returned function gives the activity since.</summary>
    public static Func<GcActivity> Start()
    {
        var before = Now();
        return () =>
        {
            var after = Now();
            return new GcActivity(after.AllocatedBytes - before.AllocatedBytes, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1,
                after.Gen2 - before.Gen2, after.PauseSeconds - before.PauseSeconds);
        };
    }

    private static GcActivity Now() => new(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalSeconds);
}

using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;

namespace RetroAct.Actors.Tests.Replay;

public sealed class ReplayStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ReplayStore InMemory(int capacity = 100, int maxPolicyLag = 4, int seed = 1, double halfLife = 1000) =>
        new(new ReplayStoreOptions { Capacity = capacity, MaxPolicyLag = maxPolicyLag, Seed = seed, RecencyHalfLife = halfLife });

    private static List<TrajectoryBatch> Fill(ReplayStore store, int n, long policyVersion = 5)
    {
        var batches = Enumerable.Range(0, n).Select(_ => SampleMessages.Batch(policyVersion)).ToList();
        foreach (var b in batches) store.Add(b);
        return batches;
    }

    [Fact]
    public void Invalid_options_are_refused_naming_every_bad_value()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ReplayStore(new ReplayStoreOptions { Capacity = 0, MaxPolicyLag = -1 }));
        Assert.Contains("replay.capacity = 0", ex.Message);
        Assert.Contains("replay.max_policy_lag = -1", ex.Message);
    }

    [Fact]
    public void A_resent_trajectory_is_acknowledged_again_but_stored_once_and_counted()
    {
        using var store = InMemory();
        var batch = SampleMessages.Batch();

        var first = store.Add(batch);
        var second = store.Add(batch);

        Assert.Equal(new TrajectoryAck(batch.TrajectoryId, false), first);
        Assert.Equal(new TrajectoryAck(batch.TrajectoryId, true), second);
        Assert.Equal(1, store.Count);
        Assert.Equal((1L, 1L), (store.Counters.Stored, store.Counters.Duplicates));
    }

    [Fact]
    public void When_full_the_oldest_is_evicted_and_a_late_resend_of_it_is_not_stored_again()
    {
        using var store = InMemory(capacity: 3);
        var batches = Fill(store, 5);

        Assert.Equal(3, store.Count);
        Assert.False(store.Contains(batches[0].TrajectoryId));
        Assert.True(store.Contains(batches[4].TrajectoryId));
        Assert.Equal(2, store.Counters.Evicted);

        Assert.True(store.Add(batches[0]).Duplicate);
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public void Stale_trajectories_are_dropped_at_sampling_and_counted()
    {
        using var store = InMemory(maxPolicyLag: 2);
        var old = Fill(store, 3, policyVersion: 1);   // versions 1..2
        var fresh = Fill(store, 2, policyVersion: 8); // versions 8..9
        var scripted = TrajectoryBatch.Create(Guid.NewGuid(), SampleMessages.Episode() with { Trials = [], Reflections = [] });
        store.Add(scripted);

        var sample = store.Sample(10, SamplingMode.Fifo, currentPolicyVersion: 10);

        Assert.Equal(3, sample.DroppedStale);
        Assert.Equal(fresh.Select(b => b.TrajectoryId).Append(scripted.TrajectoryId), sample.Trajectories.Select(b => b.TrajectoryId));
        Assert.Equal(3, store.Counters.DroppedStale);
        Assert.All(old, b => Assert.False(store.Contains(b.TrajectoryId)));
    }

    [Fact]
    public void Fifo_hands_out_oldest_first_each_once()
    {
        using var store = InMemory();
        var batches = Fill(store, 5);

        var first = store.Sample(3, SamplingMode.Fifo, 5);
        var second = store.Sample(3, SamplingMode.Fifo, 5);
        var third = store.Sample(3, SamplingMode.Fifo, 5);

        Assert.Equal(batches.Take(3), first.Trajectories);
        Assert.Equal(batches.Skip(3), second.Trajectories);
        Assert.Empty(third.Trajectories);
        Assert.Equal(5, store.Counters.Sampled);
    }

    [Fact]
    public void Uniform_sampling_is_without_replacement_and_reproducible_with_the_seed()
    {
        static List<Guid> Run(int seed)
        {
            using var store = InMemory(seed: seed);
            for (int i = 0; i < 20; i++) store.Add(SampleMessages.Batch(id: new Guid(i + 1, 0, 0, new byte[8])));
            return [.. store.Sample(10, SamplingMode.Uniform, 5).Trajectories.Select(b => b.TrajectoryId)];
        }

        var a = Run(seed: 7);
        Assert.Equal(10, a.Distinct().Count());
        Assert.Equal(a, Run(seed: 7));
        Assert.NotEqual(a, Run(seed: 8));
    }

    [Fact]
    public void Recency_sampling_favours_recent_trajectories()
    {
        using var store = InMemory(seed: 3, halfLife: 5);
        var batches = Fill(store, 60);
        var newest = batches.Skip(40).Select(b => b.TrajectoryId).ToHashSet();

        int hitsOnNewestThird = 0;
        for (int i = 0; i < 50; i++)
            hitsOnNewestThird += store.Sample(5, SamplingMode.Recency, 5).Trajectories.Count(b => newest.Contains(b.TrajectoryId));

        Assert.True(hitsOnNewestThird > 0.9 * 250, $"{hitsOnNewestThird} of 250 picks from the newest third");
    }

    [Fact]
    public void Prioritised_sampling_favours_large_returns_and_given_priorities()
    {
        using var store = InMemory(seed: 5);
        var zeros = Enumerable.Range(0, 20).Select(_ => SampleMessages.Batch(trialReturn: 0)).ToList();
        foreach (var b in zeros) store.Add(b);
        var rewarded = SampleMessages.Batch(trialReturn: -1.0); // |R| counts: a large penalty is informative too
        var flagged = SampleMessages.Batch();
        store.Add(rewarded);
        store.Add(flagged, priority: 5.0);

        int rewardedHits = 0, flaggedHits = 0;
        for (int i = 0; i < 100; i++)
        {
            var picked = store.Sample(1, SamplingMode.Prioritised, 5).Trajectories.Single();
            rewardedHits += picked == rewarded ? 1 : 0;
            flaggedHits += picked == flagged ? 1 : 0;
        }

        // Weights: flagged 5, rewarded 2 × 1 + 0.01, each zero 0.01 (0.2 in all).
        Assert.InRange(flaggedHits, 50, 85);
        Assert.InRange(rewardedHits, 15, 45);
    }

    [Fact]
    public void A_bad_priority_is_refused()
    {
        using var store = InMemory();
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Add(SampleMessages.Batch(), priority: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Add(SampleMessages.Batch(), priority: double.NaN));
    }

    [Fact]
    public void A_restart_rebuilds_the_store_from_the_log_with_dedup_and_stale_drops_intact()
    {
        var options = new ReplayStoreOptions { Capacity = 4, MaxPolicyLag = 2, WalPath = _dir.File("replay.wal"), Seed = 1 };
        List<TrajectoryBatch> kept;
        TrajectoryBatch evicted, stale;
        using (var store = new ReplayStore(options))
        {
            evicted = SampleMessages.Batch(policyVersion: 9);
            stale = SampleMessages.Batch(policyVersion: 1);
            store.Add(evicted);
            store.Add(stale);
            kept = Fill(store, 3, policyVersion: 9);  // evicts `evicted`
            Assert.Equal(1, store.Sample(1, SamplingMode.Fifo, currentPolicyVersion: 9).DroppedStale); // drops `stale`
        }

        using var restarted = new ReplayStore(options);

        Assert.NotNull(restarted.Recovery);
        Assert.True(restarted.Recovery.WasClean);
        Assert.Equal(kept.Select(b => b.TrajectoryId), restarted.Sample(10, SamplingMode.Fifo, 9).Trajectories.Select(b => b.TrajectoryId));
        Assert.Equal(0, restarted.Counters.DroppedStale); // the stale one did not come back
        Assert.True(restarted.Add(evicted).Duplicate);
        Assert.True(restarted.Add(stale).Duplicate);
        Assert.True(restarted.Add(kept[0]).Duplicate);
        Assert.Equal(3, restarted.Count);
    }

    [Fact]
    public void A_torn_last_record_loses_only_the_unacknowledged_trajectory()
    {
        var options = new ReplayStoreOptions { Capacity = 10, WalPath = _dir.File("replay.wal") };
        List<TrajectoryBatch> acked;
        using (var store = new ReplayStore(options)) acked = Fill(store, 3);
        using (var file = new FileStream(options.WalPath, FileMode.Append)) file.Write(new byte[40]); // a crash mid-append

        using var restarted = new ReplayStore(options);

        Assert.Equal(40, restarted.Recovery!.TruncatedBytes);
        Assert.Equal(acked.Select(b => b.TrajectoryId), restarted.Sample(10, SamplingMode.Fifo, 5).Trajectories.Select(b => b.TrajectoryId));
    }

    [Fact]
    public void The_log_is_compacted_when_it_holds_twice_the_capacity_and_still_rebuilds_the_same_store()
    {
        var options = new ReplayStoreOptions { Capacity = 5, WalPath = _dir.File("replay.wal") };
        List<TrajectoryBatch> all;
        using (var store = new ReplayStore(options))
        {
            all = Fill(store, 27); // compaction after record 27 (> 2 × 5 + 16)
        }

        using var restarted = new ReplayStore(options);

        Assert.Equal(all.Skip(22).Select(b => b.TrajectoryId), restarted.Sample(10, SamplingMode.Fifo, 5).Trajectories.Select(b => b.TrajectoryId));
        Assert.True(restarted.Add(all[0]).Duplicate); // evicted ids survive compaction
        Assert.Equal(1 + 5, restarted.Recovery!.Records.Count); // one "forgotten ids" record + the five held
    }
}

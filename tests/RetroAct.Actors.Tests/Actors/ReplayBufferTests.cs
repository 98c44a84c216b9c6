using Akka.Actor;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;

namespace RetroAct.Actors.Tests.Actors;

public sealed class ReplayBufferTests : TestKit
{
    // Generous: the test machine is shared, and a busy thread pool can be slow to run an actor.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new();

    private ReplayStoreOptions Options => new() { WalPath = Path.Combine(_dir.Path, "replay.wal"), MaxPolicyLag = 2 };

    [Fact]
    public void A_trajectory_is_acknowledged_once_it_is_in_the_log_and_a_resend_is_stored_once()
    {
        var buffer = Sys.ActorOf(ReplayBuffer.Props(Options, ActorRefs.Nobody, TimeSpan.Zero));
        var batch = SampleMessages.Batch(policyVersion: 5);

        buffer.Tell(batch);
        Assert.False(ExpectMsg<TrajectoryAck>(Patience).Duplicate);
        // The ack means durable: a store opened on the same log (as after a crash) already holds it.
        using (var reopened = new ReplayStore(Options)) Assert.True(reopened.Contains(batch.TrajectoryId));

        buffer.Tell(batch); // the worker's re-send after a lost ack
        var ack = ExpectMsg<TrajectoryAck>(Patience);
        Assert.Equal((batch.TrajectoryId, true), (ack.TrajectoryId, ack.Duplicate));

        var request = new SampleRequest(Guid.NewGuid(), 10, SamplingMode.Fifo, CurrentPolicyVersion: 6);
        buffer.Tell(request);
        Assert.Equal(batch.TrajectoryId, ExpectMsg<TrajectoryBatch>(Patience).TrajectoryId);
        var reply = ExpectMsg<SampleReply>(Patience);
        Assert.Equal([batch.TrajectoryId], reply.TrajectoryIds);
    }

    [Fact]
    public void A_burst_is_group_committed_and_every_ack_means_the_trajectory_is_in_the_log()
    {
        var buffer = Sys.ActorOf(ReplayBuffer.Props(Options, ActorRefs.Nobody, TimeSpan.Zero));
        var batches = Enumerable.Range(0, 50).Select(_ => SampleMessages.Batch()).ToList();
        foreach (var batch in batches) buffer.Tell(batch);

        var acked = Enumerable.Range(0, batches.Count).Select(_ => ExpectMsg<TrajectoryAck>(Patience)).ToList();
        Assert.Equal(batches.Select(b => b.TrajectoryId), acked.Select(a => a.TrajectoryId)); // in arrival order
        Assert.All(acked, a => Assert.False(a.Duplicate));
        using var reopened = new ReplayStore(Options); // as after a crash right after the last ack
        Assert.All(batches, b => Assert.True(reopened.Contains(b.TrajectoryId)));
    }

    [Fact]
    public void Fragments_are_joined_before_the_ack_and_stale_data_is_dropped_at_sampling()
    {
        var buffer = Sys.ActorOf(ReplayBuffer.Props(Options, ActorRefs.Nobody, TimeSpan.Zero));
        var batch = SampleMessages.Batch(policyVersion: 1);
        foreach (var message in ForceFragments(batch)) buffer.Tell(message);
        Assert.Equal(batch.TrajectoryId, ExpectMsg<TrajectoryAck>(Patience).TrajectoryId);

        buffer.Tell(new SampleRequest(Guid.NewGuid(), 10, SamplingMode.Fifo, CurrentPolicyVersion: 9));
        var reply = ExpectMsg<SampleReply>(Patience);
        Assert.Empty(reply.TrajectoryIds);
        Assert.Equal(1, reply.DroppedStale);
    }

    // The sample batch fits one message; cut its encoding into fragments by hand to exercise reassembly.
    private static IEnumerable<TrajectoryFragment> ForceFragments(TrajectoryBatch batch)
    {
        var bytes = MessagePack.MessagePackSerializer.Serialize(batch, RetroAct.Actors.Serialization.ClusterMessageCodec.Options);
        int size = 256, count = (bytes.Length + size - 1) / size;
        for (int i = 0; i < count; i++)
            yield return new TrajectoryFragment(batch.TrajectoryId, i, count, bytes[(i * size)..Math.Min(bytes.Length, (i + 1) * size)]);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _dir.Dispose();
    }
}

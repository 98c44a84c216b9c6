using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Tests.Replay;

public class TrajectorySplitterTests
{
    private static TrajectoryBatch LargeBatch() =>
        TrajectoryBatch.Create(Guid.NewGuid(), SampleMessages.Episode(trials: 3, turnsPerTrial: 50, tokensPerTurn: 300));

    [Fact]
    public void A_batch_that_fits_travels_as_itself()
    {
        var batch = SampleMessages.Batch();

        Assert.Same(batch, Assert.Single(TrajectorySplitter.ForTransport(batch)));
    }

    [Fact]
    public void A_large_batch_travels_as_fragments_each_within_the_frame_and_reassembles_out_of_order_with_duplicates()
    {
        var batch = LargeBatch();
        var messages = TrajectorySplitter.ForTransport(batch);
        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.True(ClusterMessageCodec.Encode(m).Length <= FrameBudget.MaxMessageBytes));

        var fragments = messages.Cast<TrajectoryFragment>().Reverse().ToList();
        var reassembler = new TrajectoryReassembler();
        TrajectoryBatch? whole = null;
        foreach (var fragment in fragments.Take(fragments.Count - 1).Concat(fragments.Take(1)).Concat(fragments.Skip(fragments.Count - 1)))
            whole = reassembler.Add(fragment) ?? whole;

        Assert.NotNull(whole);
        Assert.Equal(batch.TrajectoryId, whole.TrajectoryId);
        Assert.Equal(MessagePack.MessagePackSerializer.Serialize(batch, ClusterMessageCodec.Options),
                     MessagePack.MessagePackSerializer.Serialize(whole, ClusterMessageCodec.Options));
        Assert.Equal(0, reassembler.Partial);
    }

    [Fact]
    public void Fragments_that_disagree_on_the_count_are_rejected_and_the_partial_trajectory_discarded()
    {
        var id = Guid.NewGuid();
        var reassembler = new TrajectoryReassembler();
        reassembler.Add(new TrajectoryFragment(id, 0, 3, [1]));

        var ex = Assert.Throws<InvalidDataException>(() => reassembler.Add(new TrajectoryFragment(id, 1, 2, [2])));
        Assert.Contains("says 2 fragments, earlier ones said 3", ex.Message);
        Assert.Equal(0, reassembler.Partial);
    }

    [Fact]
    public void Fragments_that_do_not_decode_are_a_clear_error()
    {
        var reassembler = new TrajectoryReassembler();

        Assert.Throws<InvalidDataException>(() => reassembler.Add(new TrajectoryFragment(Guid.NewGuid(), 0, 1, [0xC1, 0x00])));
    }

    [Fact]
    public void Too_many_partial_trajectories_abandon_the_oldest_and_count_it()
    {
        var reassembler = new TrajectoryReassembler(maxPartial: 2);
        foreach (var _ in Enumerable.Range(0, 3)) reassembler.Add(new TrajectoryFragment(Guid.NewGuid(), 0, 2, [1]));

        Assert.Equal(2, reassembler.Partial);
        Assert.Equal(1, reassembler.Abandoned);
    }
}

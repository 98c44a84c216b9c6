using MessagePack;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Replay;

/// <summary>
/// Turns a <see cref="TrajectoryBatch"/> into messages that fit the frame: the batch itself when it fits, else
/// <see cref="TrajectoryFragment"/>s of its MessagePack encoding for <see cref="TrajectoryReassembler"/> to join.
/// </summary>
public static class TrajectorySplitter
{
    /// <summary>Room kept for the serializer's envelope (array header + manifest) on top of the batch's own bytes.</summary>
    private const int EnvelopeBytes = 64;

    /// <summary>The messages to send for <paramref name="batch"/>, in order.</summary>
    public static IReadOnlyList<IClusterMessage> ForTransport(TrajectoryBatch batch, int fragmentBytes = TrajectoryFragment.MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(batch);
        FrameBudget.InRange(fragmentBytes, 1, TrajectoryFragment.MaxBytes, nameof(TrajectorySplitter), nameof(fragmentBytes));
        byte[] bytes = MessagePackSerializer.Serialize(batch, ClusterMessageCodec.Options);
        if (bytes.Length + EnvelopeBytes <= FrameBudget.MaxMessageBytes)
            return [batch];
        int count = (bytes.Length + fragmentBytes - 1) / fragmentBytes;
        if (count > TrajectoryFragment.MaxCount)
            throw new ArgumentException(
                $"trajectory {batch.TrajectoryId} is {bytes.Length} bytes: more than {TrajectoryFragment.MaxCount} fragments of {fragmentBytes}", nameof(batch));
        var fragments = new IClusterMessage[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * fragmentBytes;
            fragments[i] = new TrajectoryFragment(batch.TrajectoryId, i, count, bytes[start..Math.Min(bytes.Length, start + fragmentBytes)]);
        }
        return fragments;
    }
}

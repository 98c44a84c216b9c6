using MessagePack;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Replay;

/// <summary>
/// Joins <see cref="TrajectoryFragment"/>s back into <see cref="TrajectoryBatch"/>es. Fragments may arrive out of order
/// or twice (a worker re-sends until acked); at most <c>maxPartial</c> incomplete trajectories are held, the oldest
/// abandoned first (counted) — its sender re-sends the whole trajectory because it was never acked.
/// </summary>
public sealed class TrajectoryReassembler(int maxPartial = 64)
{
    private readonly Dictionary<Guid, byte[]?[]> _partial = [];
    private readonly LinkedList<Guid> _arrivalOrder = new();

    /// <summary>Incomplete trajectories held now.</summary>
    public int Partial => _partial.Count;

    /// <summary>Incomplete trajectories given up because too many were pending.</summary>
    public long Abandoned { get; private set; }

    /// <summary>
    /// Adds one fragment; returns the whole batch when this was the last missing piece, else null. A fragment whose
    /// count disagrees with earlier ones, or bytes that do not decode to the announced trajectory, throw
    /// <see cref="InvalidDataException"/> and discard the partial trajectory.
    /// </summary>
    public TrajectoryBatch? Add(TrajectoryFragment fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        if (!_partial.TryGetValue(fragment.TrajectoryId, out var pieces))
        {
            if (_partial.Count >= maxPartial) AbandonOldest();
            pieces = new byte[fragment.Count][];
            _partial[fragment.TrajectoryId] = pieces;
            _arrivalOrder.AddLast(fragment.TrajectoryId);
        }
        else if (pieces.Length != fragment.Count)
        {
            Discard(fragment.TrajectoryId);
            throw new InvalidDataException(
                $"trajectory {fragment.TrajectoryId}: fragment {fragment.Index} says {fragment.Count} fragments, earlier ones said {pieces.Length}");
        }

        pieces[fragment.Index] ??= fragment.Bytes;
        if (pieces.Any(p => p is null)) return null;

        Discard(fragment.TrajectoryId);
        var whole = new byte[pieces.Sum(p => p!.Length)];
        int offset = 0;
        foreach (var piece in pieces)
        {
            piece!.CopyTo(whole, offset);
            offset += piece.Length;
        }
        TrajectoryBatch batch;
        try
        {
            batch = MessagePackSerializer.Deserialize<TrajectoryBatch>(whole, ClusterMessageCodec.Options);
        }
        catch (MessagePackSerializationException ex)
        {
            throw new InvalidDataException($"trajectory {fragment.TrajectoryId}: its {pieces.Length} fragments do not decode to a trajectory batch", ex);
        }
        return batch.TrajectoryId == fragment.TrajectoryId
            ? batch
            : throw new InvalidDataException($"fragments of trajectory {fragment.TrajectoryId} decode to trajectory {batch.TrajectoryId}");
    }

    private void AbandonOldest()
    {
        var oldest = _arrivalOrder.First!.Value;
        Discard(oldest);
        Abandoned++;
    }

    private void Discard(Guid id)
    {
        _partial.Remove(id);
        _arrivalOrder.Remove(id);
    }
}

using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>What <see cref="WeightAssembler.Add"/> did with a chunk.</summary>
public enum ChunkOutcome
{
    /// <summary>A new chunk, copied into place.</summary>
    Accepted,

    /// <summary>A chunk already held (a re-sent or re-requested one); ignored.</summary>
    Duplicate,

    /// <summary>A chunk of another weight version (a late one from an older pull); ignored.</summary>
    RejectedOtherVersion,

    /// <summary>An index or count that does not match the announcement; ignored.</summary>
    RejectedBadIndex,

    /// <summary>A length other than the announcement implies for that index; ignored.</summary>
    RejectedBadLength,
}

/// <summary>
/// Collects the chunks of one announced weight version in any order and, once all are in, returns the blob only
/// if its checksum matches the announcement. A mismatch throws and resets, so the version can be pulled again.
/// </summary>
public sealed class WeightAssembler
{
    private readonly byte[] _blob;
    private readonly bool[] _have;

    /// <summary>Assembles <paramref name="announcement"/>'s blob in <paramref name="into"/> when it has the announced length (a spare), else in a new array.</summary>
    public WeightAssembler(WeightsVersionReady announcement, byte[]? into = null)
    {
        Announcement = announcement ?? throw new ArgumentNullException(nameof(announcement));
        _blob = into?.LongLength == announcement.TotalBytes ? into : GC.AllocateUninitializedArray<byte>(checked((int)announcement.TotalBytes));
        _have = new bool[announcement.ChunkCount];
    }

    /// <summary>The version being assembled.</summary>
    public WeightsVersionReady Announcement { get; }

    /// <summary>Distinct chunks held.</summary>
    public int Received { get; private set; }

    /// <summary>Whether every chunk is held.</summary>
    public bool IsComplete => Received == _have.Length;

    /// <summary>Chunks rejected so far (other version, bad index, bad length): the puller logs them.</summary>
    public long Rejected { get; private set; }

    /// <summary>Indices still missing, in order: what the puller asks for next.</summary>
    public IEnumerable<int> Missing() => Enumerable.Range(0, _have.Length).Where(i => !_have[i]);

    /// <summary>Takes one chunk; returns what happened to it. Never throws for a stray chunk: a pull races with new versions.</summary>
    public ChunkOutcome Add(WeightChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var outcome = Check(chunk);
        if (outcome == ChunkOutcome.Accepted)
        {
            chunk.Bytes.CopyTo(_blob, (long)chunk.Index * Announcement.ChunkBytes);
            _have[chunk.Index] = true;
            Received++;
        }
        else if (outcome != ChunkOutcome.Duplicate)
        {
            Rejected++;
        }
        return outcome;
    }

    /// <summary>
    /// The whole blob once complete and verified. Throws <see cref="InvalidOperationException"/> when chunks are
    /// missing, and <see cref="InvalidDataException"/> (after resetting, so every chunk is pulled again) when the
    /// checksum does not match the announcement.
    /// </summary>
    public byte[] Assemble()
    {
        if (!IsComplete)
            throw new InvalidOperationException(
                $"weight version {Announcement.Version} is incomplete: {Received} of {_have.Length} chunks");
        if (WeightChecksum.Mismatch(WeightChecksum.Of(_blob), Announcement) is { } mismatch)
        {
            Reset();
            throw new InvalidDataException($"weight version {Announcement.Version} {mismatch}; discarded all {_have.Length} chunks, pull it again");
        }
        return _blob;
    }

    /// <summary>Forgets every chunk received.</summary>
    public void Reset()
    {
        Array.Clear(_have);
        Received = 0;
    }

    private ChunkOutcome Check(WeightChunk chunk)
    {
        if (chunk.Version != Announcement.Version) return ChunkOutcome.RejectedOtherVersion;
        if (chunk.Count != _have.Length || chunk.Index < 0 || chunk.Index >= _have.Length) return ChunkOutcome.RejectedBadIndex;
        long start = (long)chunk.Index * Announcement.ChunkBytes;
        long expected = Math.Min(Announcement.ChunkBytes, Announcement.TotalBytes - start);
        if (chunk.Bytes.Length != expected) return ChunkOutcome.RejectedBadLength;
        return _have[chunk.Index] ? ChunkOutcome.Duplicate : ChunkOutcome.Accepted;
    }
}

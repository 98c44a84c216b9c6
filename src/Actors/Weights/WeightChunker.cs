using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Serves one weight version (a serialized state dict, or only its LoRA adapters) as chunks that fit the frame:
/// the announcement carries the checksum (<see cref="WeightChecksum"/>) of the whole blob, and any chunk can be cut on request (pullers ask for a
/// window at a time and may re-ask after a failed checksum).
/// </summary>
public sealed class WeightChunker
{
    /// <summary>Default chunk size: 64 KiB, half the frame, so heartbeats are never stuck behind a long write.</summary>
    public const int DefaultChunkBytes = 64 * 1024;

    private readonly byte[] _blob;

    /// <summary>
    /// Chunks <paramref name="blob"/> (kept by reference: do not change it afterwards) as weight version
    /// <paramref name="version"/>; <paramref name="streamUri"/> is the weight server endpoint that also sends it (null: none).
    /// </summary>
    public WeightChunker(long version, bool loraOnly, byte[] blob, int chunkBytes = DefaultChunkBytes, long epoch = 0, string? streamUri = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (chunkBytes < 1 || chunkBytes > WeightChunk.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes,
                $"chunk size must be in [1, {WeightChunk.MaxBytes}]: {FrameBudget.AkkaMaximumFrameSize}-byte frame minus envelope and chunk header");
        _blob = blob;
        int count = Math.Max(1, (int)((blob.LongLength + chunkBytes - 1) / chunkBytes));
        Announcement = new WeightsVersionReady(version, loraOnly, blob.LongLength, chunkBytes, count, WeightChecksum.Of(blob), epoch, streamUri);
    }

    /// <summary>The whole blob (read-only view, no copy): what a weight server sends.</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    /// <summary>The "version N ready" message: size, chunking and checksum.</summary>
    public WeightsVersionReady Announcement { get; }

    /// <summary>Chunk <paramref name="index"/> (a copy of its bytes).</summary>
    public WeightChunk Chunk(int index)
    {
        if (index < 0 || index >= Announcement.ChunkCount)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"weight version {Announcement.Version} has chunks 0..{Announcement.ChunkCount - 1}");
        long start = (long)index * Announcement.ChunkBytes;
        int length = (int)Math.Min(Announcement.ChunkBytes, _blob.LongLength - start);
        return new WeightChunk(Announcement.Version, index, Announcement.ChunkCount, _blob.AsSpan((int)start, length).ToArray());
    }

    /// <summary>The chunks a <see cref="WeightChunkRequest"/> asks for (those that exist); a request for another version is an error the caller answers with <see cref="WeightsVersionUnavailable"/>.</summary>
    public IEnumerable<WeightChunk> Serve(WeightChunkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Version != Announcement.Version)
            throw new ArgumentException($"asked for weight version {request.Version}; this chunker serves version {Announcement.Version}", nameof(request));
        int end = (int)Math.Min((long)request.FirstIndex + request.Count, Announcement.ChunkCount);
        for (int i = request.FirstIndex; i < end; i++)
            yield return Chunk(i);
    }

    /// <summary>All chunks in order.</summary>
    public IEnumerable<WeightChunk> All() => Enumerable.Range(0, Announcement.ChunkCount).Select(Chunk);
}

using MessagePack;

namespace RetroAct.Actors.Protocol;

// WeightStore -> PolicyServers: "version N ready" on the "weights" pub-sub topic; each PolicyServer then pulls the
// version — over the learner node's gRPC stream when the announcement names one (Weights/weights.proto), else as
// chunks (a bounded window at a time) — and swaps weights once the checksum of the whole blob checks out.
// Weights never travel as one Akka message: an 80 MB state dict would be dropped by the transport.

/// <summary>
/// Announces a new weight version: its size, how it is chunked, and the checksum of the whole blob (XXH128, see
/// <c>Weights.WeightChecksum</c>; SHA-256 before, same key, so an older node's announcement is refused by its length).
/// <see cref="LoraOnly"/> marks an adapter-only update (tiny). <see cref="Epoch"/> counts learner incarnations: a
/// learner resumed from a checkpoint publishes under a higher epoch, so a policy server that already holds a higher
/// version number from the crashed incarnation (published but never checkpointed) still takes the resumed weights.
/// <see cref="StreamUri"/> names the learner node's weight server when it runs one: tcp://10.0.0.5:5054 (plain
/// socket) or http://10.0.0.5:5054 (gRPC); formerly GrpcUri, same key; null (also in messages from nodes that predate it): chunks only. Bound: ~90 B + the URI
/// (≤ <see cref="MaxUriBytes"/>).
/// </summary>
[MessagePackObject]
public sealed record WeightsVersionReady(long Version, bool LoraOnly, long TotalBytes, int ChunkBytes, int ChunkCount, byte[] Checksum, long Epoch = 0,
                                         string? StreamUri = null)
    : IClusterMessage
{
    /// <summary>Longest <see cref="StreamUri"/> accepted (UTF-8 bytes).</summary>
    public const int MaxUriBytes = 512;

    [Key(0)] public long Version { get; } = Version;
    [Key(1)] public bool LoraOnly { get; } = LoraOnly;

    [Key(2)]
    public long TotalBytes { get; } = TotalBytes >= 0 && TotalBytes <= Array.MaxLength
        ? TotalBytes
        : throw new ArgumentOutOfRangeException(nameof(TotalBytes), TotalBytes, $"WeightsVersionReady.TotalBytes must be in [0, {Array.MaxLength}]");

    [Key(3)] public int ChunkBytes { get; } = FrameBudget.InRange(ChunkBytes, 1, WeightChunk.MaxBytes, nameof(WeightsVersionReady), nameof(ChunkBytes));

    [Key(4)]
    public int ChunkCount { get; } = ChunkCount == (int)Math.Max(1, (TotalBytes + ChunkBytes - 1) / ChunkBytes)
        ? ChunkCount
        : throw new ArgumentException($"WeightsVersionReady.ChunkCount is {ChunkCount}, but {TotalBytes} bytes in chunks of {ChunkBytes} make {Math.Max(1, (TotalBytes + ChunkBytes - 1) / ChunkBytes)}", nameof(ChunkCount));

    [Key(5)]
    public byte[] Checksum { get; } = Checksum is { Length: ChecksumBytes }
        ? Checksum
        : throw new ArgumentException($"WeightsVersionReady.Checksum must be {ChecksumBytes} bytes (XXH128; got {Checksum?.Length.ToString() ?? "null"})", nameof(Checksum));

    /// <summary>Length of <see cref="Checksum"/> (XXH128).</summary>
    public const int ChecksumBytes = 16;

    [Key(6)] public long Epoch { get; } = Epoch >= 0 ? Epoch : throw new ArgumentOutOfRangeException(nameof(Epoch), Epoch, "WeightsVersionReady.Epoch must be >= 0");

    [Key(7)]
    public string? StreamUri { get; } = StreamUri is null ? null : FrameBudget.Text(StreamUri, MaxUriBytes, nameof(WeightsVersionReady), nameof(StreamUri));
}

/// <summary>Asks for chunks [<see cref="FirstIndex"/>, FirstIndex + Count) of a version; each comes back as its own <see cref="WeightChunk"/>. Bound: ~30 B.</summary>
[MessagePackObject]
public sealed record WeightChunkRequest(long Version, int FirstIndex, int Count) : IClusterMessage
{
    /// <summary>Most chunks one request may ask for: the puller's window, so a node never has more than ~2 MB in flight.</summary>
    public const int MaxCount = 32;

    [Key(0)] public long Version { get; } = Version;
    [Key(1)] public int FirstIndex { get; } = FirstIndex >= 0 ? FirstIndex : throw new ArgumentOutOfRangeException(nameof(FirstIndex), FirstIndex, "WeightChunkRequest.FirstIndex must be >= 0");
    [Key(2)] public int Count { get; } = FrameBudget.InRange(Count, 1, MaxCount, nameof(WeightChunkRequest), nameof(Count));
}

/// <summary>Chunk <see cref="Index"/> of <see cref="Count"/> of a weight version. Bound: ≤ <see cref="MaxBytes"/> payload + ~30 B header.</summary>
[MessagePackObject]
public sealed record WeightChunk(long Version, int Index, int Count, byte[] Bytes) : IClusterMessage
{
    /// <summary>Bytes reserved for the chunk's header and MessagePack framing in the frame budget.</summary>
    public const int HeaderBytesBound = 64;

    /// <summary>Largest chunk payload that still fits <see cref="FrameBudget.MaxMessageBytes"/>.</summary>
    public const int MaxBytes = FrameBudget.MaxMessageBytes - HeaderBytesBound;

    [Key(0)] public long Version { get; } = Version;
    [Key(1)] public int Index { get; } = Index;
    [Key(2)] public int Count { get; } = Count;
    [Key(3)] public byte[] Bytes { get; } = FrameBudget.Count(Bytes, MaxBytes, nameof(WeightChunk), nameof(Bytes));
}

/// <summary>The weight store no longer (or never) held the requested version; the puller waits for the next announcement. Bound: ~1.1 KB.</summary>
[MessagePackObject]
public sealed record WeightsVersionUnavailable(long Version, string Reason) : IClusterMessage
{
    /// <summary>Longest reason accepted (UTF-8 bytes).</summary>
    public const int MaxReasonBytes = 1024;

    [Key(0)] public long Version { get; } = Version;
    [Key(1)] public string Reason { get; } = FrameBudget.Text(Reason, MaxReasonBytes, nameof(WeightsVersionUnavailable), nameof(Reason));
}

/// <summary>
/// A PolicyServer that starts (or joins late) asks the weight store for the newest version; the store answers with
/// that version's <see cref="WeightsVersionReady"/>, or nothing while it holds none. Bound: ~10 B.
/// </summary>
[MessagePackObject]
public sealed record WeightsVersionQuery([property: Key(0)] long NewerThan) : IClusterMessage;

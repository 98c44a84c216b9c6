using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// The weight versions a learner node's weight server (socket or gRPC) may send: the <see cref="WeightStore"/> replaces the set
/// whenever it keeps a new version, and the service's request threads read it without a lock (an immutable snapshot).
/// </summary>
public sealed class ServedWeights
{
    private (WeightsVersionReady Announcement, ReadOnlyMemory<byte> Blob)[] _kept = [];
    private long _streamed;

    /// <summary>The endpoint announcements name (e.g. tcp://10.0.0.5:5054 or http://10.0.0.5:5054); set by the server once it is bound.</summary>
    public string? Endpoint { get; internal set; }

    /// <summary>Replaces the servable versions (the store's kept ones; blobs by reference, never copied).</summary>
    public void Keep(IEnumerable<(WeightsVersionReady Announcement, ReadOnlyMemory<byte> Blob)> versions) =>
        Volatile.Write(ref _kept, versions.ToArray());

    /// <summary>The blob of <paramref name="version"/> from learner epoch <paramref name="epoch"/>, if still kept.</summary>
    public bool TryGet(long version, long epoch, out ReadOnlyMemory<byte> blob)
    {
        // The newest match first, as the store does (two versions with one number can only differ by epoch).
        var kept = Volatile.Read(ref _kept);
        for (int i = kept.Length - 1; i >= 0; i--)
        {
            if (kept[i].Announcement.Version != version || kept[i].Announcement.Epoch != epoch) continue;
            blob = kept[i].Blob;
            return true;
        }
        blob = default;
        return false;
    }

    /// <summary>Versions streamed to the end so far (each pull of each receiver counts once).</summary>
    public long Streamed => Interlocked.Read(ref _streamed);

    internal void CountStreamed() => Interlocked.Increment(ref _streamed);

    /// <summary>The versions kept, oldest first (for messages naming what is available).</summary>
    public IReadOnlyList<long> Versions => Volatile.Read(ref _kept).Select(k => k.Announcement.Version).ToList();
}

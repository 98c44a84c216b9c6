using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Pulls an announced version from the endpoint its announcement names, by the endpoint's scheme: <c>tcp://</c> a
/// <see cref="WeightSocketServer"/> (<see cref="WeightSocketClient"/>), <c>http://</c> a gRPC
/// <see cref="WeightTransferServer"/> (<see cref="WeightTransferClient"/>, which keeps one HTTP/2 connection per endpoint).
/// A blob given back with <see cref="Recycle"/> receives the next version of the same size: fresh memory costs a page
/// fault per 4 KiB on first write (here ~3 ms per MB, 0.2–0.4 s for a 20m model's 72 MB), reused memory nothing.
/// </summary>
public sealed class WeightPuller : IDisposable
{
    private readonly WeightTransferClient _grpc = new();
    private byte[]? _spare;

    /// <summary>
    /// Gives back a blob its receiver no longer reads (the backend has loaded it): the next pull of a version of the
    /// same length writes into it. May be called from any thread.
    /// </summary>
    public void Recycle(byte[] blob) => Volatile.Write(ref _spare, blob ?? throw new ArgumentNullException(nameof(blob)));

    /// <summary>The spare blob when it has <paramref name="length"/> bytes, else a new array; either way, the caller's.</summary>
    public byte[] Rent(long length)
    {
        var spare = Interlocked.Exchange(ref _spare, null);
        return spare?.LongLength == length ? spare : GC.AllocateUninitializedArray<byte>(checked((int)length));
    }

    /// <summary>
    /// The verified blob. Throws <see cref="ArgumentException"/> for a missing or unknown endpoint, and whatever the
    /// transport's client throws (see each) for a failed or wrong pull.
    /// </summary>
    public async Task<byte[]> PullAsync(WeightsVersionReady announcement, TimeSpan stallTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        if (announcement.StreamUri is null || !Uri.TryCreate(announcement.StreamUri, UriKind.Absolute, out var endpoint))
            throw new ArgumentException($"weight version {announcement.Version} names no usable stream endpoint ('{announcement.StreamUri}')");
        // Async all the way, so a bad endpoint fails the task (the caller's continuation sees it) instead of throwing here.
        // A failed pull's buffer is dropped, not recycled: nothing then can write into it late.
        return endpoint.Scheme switch
        {
            WeightSocketProtocol.Scheme => await WeightSocketClient.PullAsync(endpoint, announcement, stallTimeout, cancellationToken, Rent(announcement.TotalBytes))
                .ConfigureAwait(false),
            "http" or "https" => await _grpc.PullAsync(announcement, stallTimeout, cancellationToken, Rent(announcement.TotalBytes)).ConfigureAwait(false),
            _ => throw new ArgumentException($"weight version {announcement.Version}: unknown stream endpoint scheme in '{announcement.StreamUri}' " +
                                             $"(known: {WeightSocketProtocol.Scheme}, http, https)"),
        };
    }

    public void Dispose() => _grpc.Dispose();
}

using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Pulls an announced version from the endpoint its announcement names, by the endpoint's scheme: <c>tcp://</c> a
/// <see cref="WeightSocketServer"/> (<see cref="WeightSocketClient"/>), <c>http://</c> a gRPC
/// <see cref="WeightTransferServer"/> (<see cref="WeightTransferClient"/>, which keeps one HTTP/2 connection per endpoint).
/// </summary>
public sealed class WeightPuller : IDisposable
{
    private readonly WeightTransferClient _grpc = new();

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
        return endpoint.Scheme switch
        {
            WeightSocketProtocol.Scheme => await WeightSocketClient.PullAsync(endpoint, announcement, stallTimeout, cancellationToken).ConfigureAwait(false),
            "http" or "https" => await _grpc.PullAsync(announcement, stallTimeout, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"weight version {announcement.Version}: unknown stream endpoint scheme in '{announcement.StreamUri}' " +
                                             $"(known: {WeightSocketProtocol.Scheme}, http, https)"),
        };
    }

    public void Dispose() => _grpc.Dispose();
}

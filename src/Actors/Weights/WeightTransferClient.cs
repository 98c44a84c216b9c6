using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Weights.Transfer;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Pulls announced weight versions over a learner node's gRPC stream into one preallocated buffer of the announced
/// size, hashing each message as it arrives, and returns the blob only if its SHA-256 matches the announcement.
/// Keeps one channel (HTTP/2 connection) per endpoint, so each pull after the first starts on a warm connection.
/// </summary>
public sealed class WeightTransferClient : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>
    /// The blob of <paramref name="announcement"/> from <see cref="WeightsVersionReady.GrpcUri"/>, verified. Throws
    /// <see cref="RpcException"/> when the endpoint is unreachable or the stream fails (also when nothing arrives for
    /// <paramref name="stallTimeout"/>), <see cref="InvalidDataException"/> when the length or the SHA-256 is wrong.
    /// </summary>
    public async Task<byte[]> PullAsync(WeightsVersionReady announcement, TimeSpan stallTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        string endpoint = announcement.GrpcUri ?? throw new ArgumentException($"weight version {announcement.Version} names no gRPC endpoint", nameof(announcement));
        var client = new WeightTransfer.WeightTransferClient(_channels.GetOrAdd(endpoint, Open));
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        using var call = client.Pull(new PullRequest { Version = announcement.Version, Epoch = announcement.Epoch }, cancellationToken: stall.Token);
        var blob = GC.AllocateUninitializedArray<byte>(checked((int)announcement.TotalBytes));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        while (await call.ResponseStream.MoveNext(stall.Token).ConfigureAwait(false))
        {
            stall.CancelAfter(stallTimeout);
            var data = call.ResponseStream.Current.Data.Span;
            if (received + data.Length > blob.Length)
                throw new InvalidDataException(
                    $"weight version {announcement.Version} from {endpoint}: more than the announced {announcement.TotalBytes:N0} bytes arrived");
            data.CopyTo(blob.AsSpan((int)received));
            sha.AppendData(data);
            received += data.Length;
        }
        if (received != blob.Length)
            throw new InvalidDataException(
                $"weight version {announcement.Version} from {endpoint}: the stream ended after {received:N0} of {announcement.TotalBytes:N0} bytes");
        var actual = sha.GetHashAndReset();
        if (!actual.AsSpan().SequenceEqual(announcement.Sha256))
            throw new InvalidDataException(
                $"weight version {announcement.Version} from {endpoint} failed its checksum: SHA-256 {Convert.ToHexString(actual)} " +
                $"but the announcement says {Convert.ToHexString(announcement.Sha256)}");
        return blob;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private static GrpcChannel Open(string endpoint) => GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = WeightTransferService.MaxMessageBytes,
        MaxSendMessageSize = 64 * 1024,
        HttpHandler = new SocketsHttpHandler
        {
            // A wide stream window from the start: the default 64 KiB grows only after round trips.
            InitialHttp2StreamWindowSize = 16 * 1024 * 1024,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        },
        DisposeHttpClient = true,
    });
}

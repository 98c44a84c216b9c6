using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Pulls an announced weight version from a learner node's <see cref="WeightSocketServer"/>: one connection, the
/// request, then the blob read straight into one buffer of the announced size and hashed as each read lands (so the
/// checksum check overlaps the transfer). Returns the blob only if its length and checksum match the announcement.
/// </summary>
public static class WeightSocketClient
{
    /// <summary>Bytes read (and hashed) per receive: large enough for few calls, small enough to stay in cache.</summary>
    private const int ReadBytes = 1024 * 1024;

    /// <summary>
    /// The verified blob of <paramref name="announcement"/> from <paramref name="endpoint"/> (<c>tcp://host:port</c>).
    /// Throws <see cref="IOException"/> when the server refuses (the reason it gives) or the connection fails or ends
    /// early, <see cref="TimeoutException"/> when nothing arrives for <paramref name="stallTimeout"/>, and
    /// <see cref="InvalidDataException"/> when the length or the checksum is wrong. The blob is read into
    /// <paramref name="into"/> when its length is the announced one (a spare from an earlier version), else into a new array.
    /// </summary>
    public static async Task<byte[]> PullAsync(Uri endpoint, WeightsVersionReady announcement, TimeSpan stallTimeout, CancellationToken cancellationToken = default,
                                               byte[]? into = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(announcement);
        if (endpoint.Scheme != WeightSocketProtocol.Scheme || endpoint.Port < 0)
            throw new ArgumentException($"'{endpoint}' is not a {WeightSocketProtocol.Scheme}://host:port weight endpoint", nameof(endpoint));
        string where = announcement.StreamUri ?? endpoint.ToString();
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.IdnHost, endpoint.Port, stall.Token).ConfigureAwait(false);
            await socket.SendAsync(WeightSocketProtocol.Request(announcement.Version, announcement.Epoch), SocketFlags.None, stall.Token).ConfigureAwait(false);
            var status = new byte[1];
            await ReceiveExactly(socket, status, stall, stallTimeout, where, "the answer").ConfigureAwait(false);
            if (status[0] == WeightSocketProtocol.StatusRefused) throw new IOException($"{where} refused weight version {announcement.Version}: {await Reason(socket, stall, stallTimeout, where)}");
            if (status[0] != WeightSocketProtocol.StatusBlob)
                throw new InvalidDataException($"weight version {announcement.Version} from {where}: unknown answer status {status[0]}");
            var header = new byte[8];
            await ReceiveExactly(socket, header, stall, stallTimeout, where, "the blob length").ConfigureAwait(false);
            long length = BinaryPrimitives.ReadInt64LittleEndian(header);
            if (length != announcement.TotalBytes)
                throw new InvalidDataException(
                    $"weight version {announcement.Version} from {where}: the server sends {length:N0} bytes but the announcement says {announcement.TotalBytes:N0}");
            var blob = into?.LongLength == length ? into : GC.AllocateUninitializedArray<byte>(checked((int)length));
            var checksum = WeightChecksum.Incremental();
            int received = 0;
            while (received < blob.Length)
            {
                int n = await socket.ReceiveAsync(blob.AsMemory(received, Math.Min(ReadBytes, blob.Length - received)), SocketFlags.None, stall.Token)
                    .ConfigureAwait(false);
                if (n == 0) throw new IOException($"weight version {announcement.Version} from {where}: the stream ended after {received:N0} of {length:N0} bytes");
                checksum.Append(blob.AsSpan(received, n));
                received += n;
                stall.CancelAfter(stallTimeout);
            }
            if (WeightChecksum.Mismatch(checksum.GetCurrentHash(), announcement) is { } mismatch)
                throw new InvalidDataException($"weight version {announcement.Version} from {where} {mismatch}");
            return blob;
        }
        catch (SocketException e)
        {
            throw new IOException($"weight version {announcement.Version} from {where}: {e.Message}", e);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"weight version {announcement.Version} from {where}: nothing arrived for {stallTimeout.TotalSeconds:0.#} s");
        }
    }

    private static async Task<string> Reason(Socket socket, CancellationTokenSource stall, TimeSpan stallTimeout, string where)
    {
        var length = new byte[4];
        await ReceiveExactly(socket, length, stall, stallTimeout, where, "the refusal").ConfigureAwait(false);
        int bytes = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (bytes is < 0 or > WeightSocketProtocol.MaxReasonBytes) return $"(a refusal of {bytes} bytes, not read)";
        var text = new byte[bytes];
        await ReceiveExactly(socket, text, stall, stallTimeout, where, "the refusal").ConfigureAwait(false);
        return Encoding.UTF8.GetString(text);
    }

    private static async Task ReceiveExactly(Socket socket, byte[] buffer, CancellationTokenSource stall, TimeSpan stallTimeout, string where, string what)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stall.Token).ConfigureAwait(false);
            if (n == 0) throw new IOException($"{where} closed the connection before {what} ({read} of {buffer.Length} bytes)");
            read += n;
            stall.CancelAfter(stallTimeout);
        }
    }
}

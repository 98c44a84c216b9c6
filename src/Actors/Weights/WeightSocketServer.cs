using System.Net;
using System.Net.Sockets;

namespace RetroAct.Actors.Weights;

/// <summary>
/// A learner node's plain-socket weight server (Cluster:WeightTransport = tcp): each pull is one TCP connection that
/// asks for a version (<see cref="WeightSocketProtocol"/>) and receives the kept blob in one write straight from the
/// <see cref="ServedWeights"/> memory, with no framing inside it. The announcement's checksum is checked by the receiver.
/// Port 0 picks a free port; <see cref="Endpoint"/> (<c>tcp://host:port</c>) is the address announcements carry.
/// </summary>
/// <remarks>
/// Why a socket next to gRPC: on loopback .NET's HTTP/2 moved a 72.5 MB version at 110–480 MB/s (16 KiB frames, a
/// copy per layer), 13–15× the time of the same bytes over a socket; weight versions are the one large, hot payload.
/// </remarks>
public sealed class WeightSocketServer : IWeightServer
{
    /// <summary>Connections served at once; a further one waits for a free slot (its client's stall timeout still runs).</summary>
    public const int MaxConcurrentPulls = 64;

    /// <summary>How long a connection may take to send its request before it is closed.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrentPulls);
    private readonly Task _accepting;
    private long _rejected, _acceptFailures;
    private readonly Action<string>? _warn;

    private WeightSocketServer(TcpListener listener, ServedWeights weights, string announcedHost, Action<string>? warn)
    {
        _listener = listener;
        _warn = warn;
        Weights = weights;
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        weights.Endpoint = $"{WeightSocketProtocol.Scheme}://{announcedHost}:{port}";
        _accepting = Task.Run(AcceptLoop);
    }

    public ServedWeights Weights { get; }

    public string Endpoint => Weights.Endpoint!;

    /// <summary>Requests refused as malformed (wrong magic, truncated, too slow) since the start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Connections the listener failed to accept since the start (each retried after <see cref="AcceptRetryDelay"/>).</summary>
    public long AcceptFailures => Interlocked.Read(ref _acceptFailures);

    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> and starts serving; announcements name
    /// <paramref name="publicHost"/> (default: <paramref name="host"/>) and the bound port. Throws
    /// <see cref="ArgumentException"/> for a host that does not resolve or a port out of range, and
    /// <see cref="IOException"/> when the port is taken. <paramref name="warn"/> hears of failed accepts (the first, then
    /// every tenfold count).
    /// </summary>
    public static async Task<WeightSocketServer> StartAsync(string host, int port, string? publicHost = null, Action<string>? warn = null)
    {
        var ip = await WeightServers.ResolveAsync(host, port).ConfigureAwait(false);
        var listener = new TcpListener(ip, port);
        try
        {
            listener.Start(backlog: MaxConcurrentPulls);
        }
        catch (SocketException e)
        {
            listener.Stop();
            throw new IOException($"cannot listen on {ip}:{port}: {e.Message}", e);
        }
        return new WeightSocketServer(listener, new ServedWeights(), WeightServers.AnnouncedHost(publicHost ?? host), warn);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // A failed accept (e.g. out of file descriptors) must not end the loop: count it, pause, accept again.
                long failures = Interlocked.Increment(ref _acceptFailures);
                if (IsPowerOfTen(failures))
                    _warn?.Invoke($"weight server {Endpoint}: accepting a connection failed ({e.Message}); {failures} failure(s) so far, retrying");
                await Task.Delay(AcceptRetryDelay, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            _ = Task.Run(() => Serve(socket));
        }
    }

    private async Task Serve(Socket socket)
    {
        using var _ = socket;
        try
        {
            await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            socket.NoDelay = true;
            var request = new byte[WeightSocketProtocol.RequestBytes];
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(RequestTimeout);
                int read = 0;
                while (read < request.Length)
                {
                    int n = await socket.ReceiveAsync(request.AsMemory(read), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    read += n;
                }
                if (read < request.Length)
                {
                    Interlocked.Increment(ref _rejected);
                    return;
                }
            }
            if (!WeightSocketProtocol.TryReadRequest(request, out long version, out long epoch))
            {
                Interlocked.Increment(ref _rejected);
                await SendAll(socket, WeightSocketProtocol.Refusal("not a weight request (wrong magic bytes)")).ConfigureAwait(false);
            }
            else if (!Weights.TryGet(version, epoch, out var blob))
            {
                await SendAll(socket, WeightSocketProtocol.Refusal(
                    $"weight version {version} (epoch {epoch}) is not kept; kept: {string.Join(", ", Weights.Versions)}")).ConfigureAwait(false);
            }
            else
            {
                await SendAll(socket, WeightSocketProtocol.BlobHeader(blob.Length)).ConfigureAwait(false);
                await SendAll(socket, blob).ConfigureAwait(false);
                Weights.CountStreamed();
            }
            // Half-close, then wait (briefly) for the client to close: closing with its bytes unread would reset the
            // connection and could discard the answer before the client reads it.
            socket.Shutdown(SocketShutdown.Send);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            linger.CancelAfter(RequestTimeout);
            var drain = new byte[256];
            while (await socket.ReceiveAsync(drain, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away or the server is stopping: the client sees a short stream and falls back.
        }
        finally
        {
            _slots.Release();
        }
    }

    private static bool IsPowerOfTen(long n)
    {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    private async Task SendAll(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Weights;

/// <summary>The gRPC weight stream on its own: a real Kestrel server and client on 127.0.0.1.</summary>
public sealed class WeightTransferTests : IAsyncLifetime
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20);
    private WeightTransferServer _server = null!;
    private readonly WeightTransferClient _client = new();

    public async Task InitializeAsync() => _server = await WeightTransferServer.StartAsync("127.0.0.1", 0);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private WeightChunker Serve(byte[] blob, long version = 1, long epoch = 0) => ServedBlobs.Serve(_server, blob, version, epoch);

    private static byte[] RandomBlob(int bytes, int seed) => ServedBlobs.Random(bytes, seed);

    [Fact]
    public async Task A_multi_megabyte_blob_arrives_byte_exact_and_verified()
    {
        // Not a multiple of the 1 MiB message: the last message is short.
        var blob = RandomBlob(5 * 1024 * 1024 + 12_345, seed: 1);
        var announcement = Serve(blob).Announcement;

        Assert.StartsWith("http://127.0.0.1:", announcement.StreamUri, StringComparison.Ordinal);
        var pulled = await _client.PullAsync(announcement, Stall);
        Assert.Equal(blob, pulled);
        Assert.NotSame(blob, pulled);

        // A second pull reuses the connection and gets the same bytes.
        Assert.Equal(blob, await _client.PullAsync(announcement, Stall));
        Assert.Equal(2, _server.Weights.Streamed);
    }

    [Fact]
    public async Task An_empty_blob_streams_as_nothing_and_verifies()
    {
        var announcement = Serve([]).Announcement;

        Assert.Empty(await _client.PullAsync(announcement, Stall));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_announced_sha256_are_refused()
    {
        var blob = RandomBlob(2 * 1024 * 1024, seed: 2);
        var announcement = Serve(blob).Announcement;
        var corrupted = (byte[])blob.Clone();
        corrupted[1_500_000] ^= 0xFF;
        _server.Weights.Keep([(announcement, corrupted)]);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _client.PullAsync(announcement, Stall));
        Assert.Contains($"weight version 1 from {_server.Endpoint} failed its checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shorter_blob_than_announced_is_refused()
    {
        var blob = RandomBlob(3 * 1024 * 1024, seed: 3);
        var announcement = Serve(blob).Announcement;
        _server.Weights.Keep([(announcement, blob.AsMemory(0, blob.Length - 10))]);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _client.PullAsync(announcement, Stall));
        Assert.Contains($"the stream ended after 3,145,718 of 3,145,728 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_or_epoch_the_server_does_not_keep_is_not_found()
    {
        var announcement = Serve(RandomBlob(1000, seed: 4), version: 7, epoch: 1).Announcement;
        var otherEpoch = new WeightChunker(7, false, RandomBlob(1000, seed: 4), epoch: 2, streamUri: _server.Endpoint).Announcement;

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.PullAsync(otherEpoch, Stall));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("weight version 7 (epoch 2) is not kept; kept: 7", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1000, (await _client.PullAsync(announcement, Stall)).Length);
    }

    [Fact]
    public async Task A_dead_endpoint_is_an_unavailable_error()
    {
        var dead = new WeightChunker(1, false, RandomBlob(1000, seed: 5), streamUri: $"http://127.0.0.1:{FreePort()}").Announcement;

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.PullAsync(dead, Stall));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    /// <summary>A port nothing listens on (bound, then released).</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

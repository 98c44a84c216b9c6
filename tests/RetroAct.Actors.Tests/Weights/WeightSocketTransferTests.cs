using System.Net;
using System.Net.Sockets;
using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Weights;

/// <summary>The plain-socket weight pull on its own: a real <see cref="WeightSocketServer"/> and client on 127.0.0.1.</summary>
public sealed class WeightSocketTransferTests : IAsyncLifetime
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20);
    private WeightSocketServer _server = null!;

    public async Task InitializeAsync() => _server = await WeightSocketServer.StartAsync("127.0.0.1", 0);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri Endpoint => new(_server.Endpoint);

    private WeightChunker Serve(byte[] blob, long version = 1, long epoch = 0) => ServedBlobs.Serve(_server, blob, version, epoch);

    private static byte[] RandomBlob(int bytes, int seed) => ServedBlobs.Random(bytes, seed);

    [Fact]
    public async Task A_multi_megabyte_blob_arrives_byte_exact_and_verified_and_twice_in_parallel()
    {
        // Not a multiple of the client's 1 MiB reads.
        var blob = RandomBlob(5 * 1024 * 1024 + 12_345, seed: 1);
        var announcement = Serve(blob).Announcement;

        Assert.StartsWith("tcp://127.0.0.1:", announcement.StreamUri, StringComparison.Ordinal);
        var pulled = await WeightSocketClient.PullAsync(Endpoint, announcement, Stall);
        Assert.Equal(blob, pulled);
        Assert.NotSame(blob, pulled);

        // Two receivers at once, each on its own connection.
        var both = await Task.WhenAll(WeightSocketClient.PullAsync(Endpoint, announcement, Stall), WeightSocketClient.PullAsync(Endpoint, announcement, Stall));
        Assert.All(both, b => Assert.Equal(blob, b));
        Assert.Equal(3, _server.Weights.Streamed);
    }

    [Fact]
    public async Task A_recycled_blob_receives_the_next_version_of_its_size_and_only_that()
    {
        var first = RandomBlob(2 * 1024 * 1024 + 7, seed: 5);
        var second = RandomBlob(first.Length, seed: 6);
        var longer = RandomBlob(first.Length + 1, seed: 7);
        using var puller = new WeightPuller();

        var pulled1 = await puller.PullAsync(Serve(first, version: 1).Announcement, Stall);
        puller.Recycle(pulled1);
        var pulled2 = await puller.PullAsync(Serve(second, version: 2).Announcement, Stall);
        Assert.Same(pulled1, pulled2); // read into the recycled array, overwritten whole
        Assert.Equal(second, pulled2);

        puller.Recycle(pulled2);
        var pulled3 = await puller.PullAsync(Serve(longer, version: 3).Announcement, Stall);
        Assert.NotSame(pulled2, pulled3); // another length: a new array
        Assert.Equal(longer, pulled3);
        Assert.NotSame(pulled2, puller.Rent(first.Length)); // the spare went to the pull that could not use it
    }

    [Fact]
    public async Task An_empty_blob_arrives_as_nothing_and_verifies()
    {
        var announcement = Serve([]).Announcement;

        Assert.Empty(await WeightSocketClient.PullAsync(Endpoint, announcement, Stall));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_announced_sha256_are_refused()
    {
        var blob = RandomBlob(2 * 1024 * 1024, seed: 2);
        var announcement = Serve(blob).Announcement;
        var corrupted = (byte[])blob.Clone();
        corrupted[1_500_000] ^= 0xFF;
        _server.Weights.Keep([(announcement, corrupted)]);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => WeightSocketClient.PullAsync(Endpoint, announcement, Stall));
        Assert.Contains($"weight version 1 from {_server.Endpoint} failed its checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blob_of_another_length_than_announced_is_refused_before_it_is_read()
    {
        var blob = RandomBlob(3 * 1024 * 1024, seed: 3);
        var announcement = Serve(blob).Announcement;
        _server.Weights.Keep([(announcement, blob.AsMemory(0, blob.Length - 10))]);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => WeightSocketClient.PullAsync(Endpoint, announcement, Stall));
        Assert.Contains("the server sends 3,145,718 bytes but the announcement says 3,145,728", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_or_epoch_the_server_does_not_keep_is_refused_with_the_reason()
    {
        var announcement = Serve(RandomBlob(1000, seed: 4), version: 7, epoch: 1).Announcement;
        var otherEpoch = new WeightChunker(7, false, RandomBlob(1000, seed: 4), epoch: 2, streamUri: _server.Endpoint).Announcement;

        var e = await Assert.ThrowsAsync<IOException>(() => WeightSocketClient.PullAsync(Endpoint, otherEpoch, Stall));
        Assert.Contains("refused weight version 7: weight version 7 (epoch 2) is not kept; kept: 7", e.Message, StringComparison.Ordinal);
        Assert.Equal(1000, (await WeightSocketClient.PullAsync(Endpoint, announcement, Stall)).Length);
    }

    [Fact]
    public async Task A_dead_endpoint_is_an_io_error_naming_it()
    {
        int port = WeightTransferTests.FreePort();
        var dead = new WeightChunker(1, false, RandomBlob(1000, seed: 5), streamUri: $"tcp://127.0.0.1:{port}").Announcement;

        var e = await Assert.ThrowsAsync<IOException>(() => WeightSocketClient.PullAsync(new Uri(dead.StreamUri!), dead, Stall));
        Assert.Contains($"weight version 1 from tcp://127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_goes_silent_is_a_timeout_after_the_stall_limit()
    {
        // Accepts and never answers.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            int port = ((IPEndPoint)silent.LocalEndpoint).Port;
            var announcement = new WeightChunker(1, false, RandomBlob(1000, seed: 6), streamUri: $"tcp://127.0.0.1:{port}").Announcement;
            var e = await Assert.ThrowsAsync<TimeoutException>(() =>
                WeightSocketClient.PullAsync(new Uri(announcement.StreamUri!), announcement, TimeSpan.FromMilliseconds(500)));
            Assert.Contains("nothing arrived for 0.5 s", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task A_request_that_is_not_a_weight_request_is_refused_and_the_server_keeps_serving()
    {
        var blob = RandomBlob(64 * 1024, seed: 7);
        var announcement = Serve(blob).Announcement;
        using (var stranger = new TcpClient())
        {
            await stranger.ConnectAsync(IPAddress.Loopback, Endpoint.Port);
            var stream = stranger.GetStream();
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var answer = new byte[256];
            int read = 0, n;
            while ((n = await stream.ReadAsync(answer.AsMemory(read))) > 0) read += n;
            Assert.Equal(WeightSocketProtocol.StatusRefused, answer[0]);
            Assert.Contains("not a weight request", System.Text.Encoding.UTF8.GetString(answer, 5, read - 5), StringComparison.Ordinal);
        }
        Assert.Equal(1, _server.Rejected);
        Assert.Equal(blob, await WeightSocketClient.PullAsync(Endpoint, announcement, Stall));
    }

    [Fact]
    public async Task A_taken_port_is_an_io_error_and_a_bad_port_an_argument_error()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => WeightSocketServer.StartAsync("127.0.0.1", Endpoint.Port));
        Assert.Contains($"cannot listen on 127.0.0.1:{Endpoint.Port}", e.Message, StringComparison.Ordinal);
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => WeightSocketServer.StartAsync("127.0.0.1", 70000));
        Assert.Contains("--weights-port 70000: allowed: 0..65535", bad.Message, StringComparison.Ordinal);
    }
}

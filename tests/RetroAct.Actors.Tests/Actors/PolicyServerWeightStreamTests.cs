using Akka.Actor;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Benchmarks;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Tests.Weights;
using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Actors;

/// <summary>The plain-socket weight server (the cluster default).</summary>
public sealed class PolicyServerWeightSocketTests : PolicyServerWeightStreamTests
{
    protected override WeightTransport Transport => WeightTransport.Tcp;
    protected override string DeadEndpointError(string endpoint) => $"(IOException: weight version 1 from {endpoint}: ";
}

/// <summary>The gRPC weight server.</summary>
public sealed class PolicyServerWeightGrpcTests : PolicyServerWeightStreamTests
{
    protected override WeightTransport Transport => WeightTransport.Grpc;
    protected override string DeadEndpointError(string endpoint) => "(Unavailable: ";
}

/// <summary>
/// A PolicyServer pulling announced versions from the learner's weight server (a real one on 127.0.0.1, of each
/// streaming transport), and falling back to the chunked Akka pull — with one warning naming the endpoint and the
/// error — when it cannot.
/// </summary>
public abstract class PolicyServerWeightStreamTests : TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private IWeightServer _server = null!;

    // Info too: the install line names the transport.
    protected PolicyServerWeightStreamTests() : base("akka.loglevel = INFO")
    {
    }

    protected abstract WeightTransport Transport { get; }

    /// <summary>How the fallback warning describes a refused connection to <paramref name="endpoint"/>.</summary>
    protected abstract string DeadEndpointError(string endpoint);

    private string Scheme => Transport == WeightTransport.Tcp ? WeightSocketProtocol.Scheme : "http";

    public async Task InitializeAsync() => _server = (await WeightServers.StartAsync(Transport, "127.0.0.1", 0))!;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] RandomBlob(int bytes, int seed) => ServedBlobs.Random(bytes, seed);

    private WeightsVersionReady Publish(IActorRef store, long version, byte[] blob)
    {
        store.Tell(new PublishWeights(version, LoraOnly: false, blob));
        return ExpectMsg<WeightsPublished>(Patience).Announcement;
    }

    private IActorRef StartServer(ReceivedWeightsBackend backend, IActorRef store, WeightTransport? transport = null) =>
        Sys.ActorOf(PolicyServer.Props(() => backend, store, ActorRefs.Nobody,
            new PolicyServerOptions { WeightTransport = transport ?? Transport, PullTimeout = TimeSpan.FromSeconds(10) }));

    [Fact]
    public async Task A_version_announced_with_an_endpoint_is_streamed_verified_and_installed()
    {
        var store = Sys.ActorOf(WeightStore.Props(served: _server.Weights));
        var blob = RandomBlob(3 * 1024 * 1024 + 7, seed: 1);
        var announcement = Publish(store, 1, blob);
        Assert.Equal(_server.Endpoint, announcement.StreamUri);
        var backend = new ReceivedWeightsBackend();

        // The server asks the store for the newest version as it starts; the announcement names the endpoint.
        EventFilter.Info(contains: $"via {_server.Endpoint}").ExpectOne(Patience, () => StartServer(backend, store));

        Assert.Equal(blob, await backend.Arrival.WaitAsync(Patience));
        Assert.Equal(1, backend.Version);
        Assert.Equal(1, _server.Weights.Streamed);
    }

    [Fact]
    public async Task A_wrong_checksum_on_the_stream_falls_back_to_chunks_and_the_version_still_installs()
    {
        var store = Sys.ActorOf(WeightStore.Props(chunkBytes: 64 * 1024, served: _server.Weights));
        var blob = RandomBlob(2 * 1024 * 1024, seed: 2);
        var announcement = Publish(store, 1, blob);
        var corrupted = (byte[])blob.Clone();
        corrupted[12_345] ^= 0x01;
        _server.Weights.Keep([(announcement, corrupted)]); // the stream serves damaged bytes, the chunks the right ones
        var backend = new ReceivedWeightsBackend();

        EventFilter.Warning(contains: $"weight version 1: the stream from {_server.Endpoint} failed (InvalidDataException: " +
                                      $"weight version 1 from {_server.Endpoint} failed its checksum")
            .ExpectOne(Patience, () => StartServer(backend, store));

        Assert.Equal(blob, await backend.Arrival.WaitAsync(Patience));
        Assert.Equal(1, backend.Version);
    }

    [Fact]
    public async Task A_dead_endpoint_falls_back_to_chunks_and_the_version_still_installs()
    {
        string dead = $"{Scheme}://127.0.0.1:{WeightTransferTests.FreePort()}";
        var served = new ServedWeights { Endpoint = dead }; // a learner whose weight server has gone
        var store = Sys.ActorOf(WeightStore.Props(chunkBytes: 64 * 1024, served: served));
        var blob = RandomBlob(1024 * 1024 + 3, seed: 3);
        Assert.Equal(dead, Publish(store, 1, blob).StreamUri);
        var backend = new ReceivedWeightsBackend();

        EventFilter.Warning(contains: $"weight version 1: the stream from {dead} failed {DeadEndpointError(dead)}")
            .ExpectOne(Patience, () => StartServer(backend, store));

        Assert.Equal(blob, await backend.Arrival.WaitAsync(Patience));
    }

    [Fact]
    public async Task With_the_akka_transport_an_announced_endpoint_is_ignored()
    {
        var store = Sys.ActorOf(WeightStore.Props(chunkBytes: 64 * 1024, served: _server.Weights));
        var blob = RandomBlob(512 * 1024, seed: 4);
        Publish(store, 1, blob);
        var backend = new ReceivedWeightsBackend();

        EventFilter.Info(contains: "via Akka chunks").ExpectOne(Patience, () => StartServer(backend, store, WeightTransport.Akka));

        Assert.Equal(blob, await backend.Arrival.WaitAsync(Patience));
        Assert.Equal(0, _server.Weights.Streamed);
    }
}

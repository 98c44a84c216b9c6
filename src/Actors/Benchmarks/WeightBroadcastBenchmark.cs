using System.Diagnostics;
using System.Security.Cryptography;
using Akka.Actor;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Weights;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Benchmarks;

/// <summary>
/// Seconds to deliver one weight version to every receiver over <see cref="Transport"/>, whether each receiver's blob
/// matched the announced checksum, and (socket, gRPC) how many receivers got it through the stream rather than the fallback.
/// </summary>
public sealed record WeightDelivery(string Transport, long Bytes, int Chunks, int Receivers, int PullWindow, double Seconds, int ReceiversVerified,
                                    int ReceiversStreamed, int Gen2Collections = 0, double GcPauseSeconds = 0);

/// <summary>
/// A receiving node's backend: keeps the verified blob the PolicyServer hands it (the PolicyServer checks the
/// checksum before it calls <see cref="LoadWeights"/>) and signals its arrival; no model, so the measured time is the
/// transport's, not the time to copy tensors into a network. It keeps the lent blob past the call, which is safe only
/// because the benchmark checks it before it announces the next version (whose pull reuses the array).
/// </summary>
public sealed class ReceivedWeightsBackend : IPolicyBackend
{
    private TaskCompletionSource<byte[]> _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version { get; private set; }

    /// <summary>Completes with the blob when the next version arrives.</summary>
    public Task<byte[]> Arrival => Volatile.Read(ref _arrival).Task;

    /// <summary>Forgets the last arrival before the next version is announced.</summary>
    public void ExpectNext() => Volatile.Write(ref _arrival, new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests) =>
        throw new NotSupportedException("the weight broadcast benchmark only receives weights");

    public void LoadWeights(long version, byte[] blob)
    {
        Version = version;
        Volatile.Read(ref _arrival).TrySetResult(blob);
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// Delivers a weight version through the real runtime path on 127.0.0.1: one actor system holds the
/// <see cref="WeightStore"/>, and each receiving "node" is its own actor system (own port, own TCP association)
/// running a real <see cref="PolicyServer"/> that asks the store for the newest version, pulls it, verifies the
/// checksum and hands the blob to its backend. With <see cref="WeightTransport.Tcp"/> (the cluster default) the store's
/// node also runs a real <see cref="WeightSocketServer"/>, with <see cref="WeightTransport.Grpc"/> a real
/// <see cref="WeightTransferServer"/> (Kestrel, h2c), whose endpoint the announcement names, and each PolicyServer
/// pulls the blob from it; with <see cref="WeightTransport.Akka"/> it pulls 64 KiB chunks a window
/// at a time over Akka.Remote. Separate ActorSystems in one process talk only through their remote addresses here
/// (references are resolved via akka.tcp://...), so every chunk is serialized and crosses a loopback socket; the
/// default 128,000-byte frame is kept. Where the cluster runtime announces on the "weights" pub-sub topic, the
/// receivers here ask the store directly (<see cref="WeightsVersionQuery"/>, the late-joiner path): same
/// announcement, same pull, no gossip delay.
/// </summary>
public sealed class WeightBroadcastBenchmark : IDisposable
{
    private readonly ActorSystem _storeSystem;
    private readonly IWeightServer? _server;
    private readonly IActorRef _store;
    private readonly List<(ActorSystem System, IActorRef StoreSeenFromReceiver, IActorRef Server, ReceivedWeightsBackend Backend)> _receivers = [];
    private long _version;

    public WeightBroadcastBenchmark(int receivers, int pullWindow, WeightTransport transport = WeightTransport.Tcp)
    {
        if (receivers < 1) throw new ArgumentException($"weight broadcast: receivers = {receivers}; allowed: ≥ 1");
        PullWindow = pullWindow;
        Transport = transport;
        string name = WeightTransports.Name(transport);
        _storeSystem = BenchmarkActorSystems.Remote($"bench-learner-{name}");
        _server = WeightServers.StartAsync(transport, "127.0.0.1", 0).GetAwaiter().GetResult();
        _store = _storeSystem.ActorOf(WeightStore.Props(served: _server?.Weights), "weights");
        var options = new PolicyServerOptions { PullWindow = pullWindow, WeightTransport = transport };
        for (int i = 0; i < receivers; i++)
        {
            var system = BenchmarkActorSystems.Remote($"bench-rollout-{i}-{name}");
            var store = BenchmarkActorSystems.ResolveRemote(system, _storeSystem, "/user/weights");
            var backend = new ReceivedWeightsBackend();
            var server = system.ActorOf(PolicyServer.Props(() => backend, store, ActorRefs.Nobody, options).WithDispatcher(ComputeDispatcher.Id), "policy-server");
            _receivers.Add((system, store, server, backend));
        }
    }

    public int PullWindow { get; }

    public WeightTransport Transport { get; }

    /// <summary>Publishes <paramref name="blob"/> as the next version and waits until every receiver holds it verified.</summary>
    public WeightDelivery Deliver(byte[] blob)
    {
        foreach (var r in _receivers) r.Backend.ExpectNext();
        long version = ++_version;
        long streamedBefore = _server?.Weights.Streamed ?? 0;
        var gc = GcActivity.Start();
        var clock = Stopwatch.StartNew();
        // The learner's hand-over: the store cuts the blob and computes its checksum (part of delivering a version).
        var announcement = _store.Ask<WeightsPublished>(new PublishWeights(version, LoraOnly: false, blob), TimeSpan.FromMinutes(2))
            .GetAwaiter().GetResult().Announcement;
        // Each receiver's PolicyServer asks the store over its TCP association; the announcement comes back the same way.
        foreach (var r in _receivers) r.StoreSeenFromReceiver.Tell(new WeightsVersionQuery(version - 1), r.Server);
        var arrived = Task.WhenAll(_receivers.Select(r => r.Backend.Arrival));
        if (!arrived.Wait(TimeSpan.FromMinutes(5)))
            throw new TimeoutException($"weight version {version} ({blob.Length:N0} bytes) did not reach all {_receivers.Count} receivers within 5 min");
        double seconds = clock.Elapsed.TotalSeconds;
        var memory = gc();
        // Re-check outside the timed part: each receiver's bytes against the announced checksum.
        int verified = arrived.Result.Count(b => WeightChecksum.Of(b).AsSpan().SequenceEqual(announcement.Checksum));
        // A server counts a stream once its last write returns, which can be just after the receiver has read the last
        // byte (the bytes sit in the socket buffers): give the count a moment to catch up with the arrivals.
        long Streamed() => (_server?.Weights.Streamed ?? 0) - streamedBefore;
        if (_server is not null) SpinWait.SpinUntil(() => Streamed() >= _receivers.Count, TimeSpan.FromSeconds(5));
        int streamed = (int)Streamed();
        // Let go of the received blobs now, as raw TCP's receivers do: a blob kept until the next delivery made that
        // delivery allocate fresh memory for its own (0.5 s more for 2 × 72.5 MB on the test machine, in a probe).
        foreach (var r in _receivers) r.Backend.ExpectNext();
        return new WeightDelivery(WeightTransports.Name(Transport), blob.LongLength, announcement.ChunkCount, _receivers.Count, PullWindow, seconds,
            verified, streamed, memory.Gen2, memory.PauseSeconds);
    }

    public void Dispose()
    {
        // Receivers first: a receiver whose store vanishes under it logs the lost association as an error.
        BenchmarkActorSystems.TerminateAll([.. _receivers.Select(r => r.System)]);
        BenchmarkActorSystems.TerminateAll(_storeSystem);
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

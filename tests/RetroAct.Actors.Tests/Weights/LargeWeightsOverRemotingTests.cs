using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;
using RetroAct.Actors.Tests.Actors;
using RetroAct.Actors.Weights;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using Xunit.Abstractions;

namespace RetroAct.Actors.Tests.Weights;

/// <summary>
/// The weights of the 20m preset (18.1M parameters, ~72 MB) cross between two actor systems over real Akka.Remote
/// TCP on 127.0.0.1 with Akka's default 128,000-byte frame: chunked, pulled in windows, checksum checked at the receiver.
/// </summary>
public sealed class LargeWeightsOverRemotingTests(ITestOutputHelper output)
{
    private sealed class Journal : IRolloutJournal
    {
        public readonly List<(long Version, string Checksum)> Installed = [];

        public void WeightsInstalled(long version, long epoch, byte[] checksum, long bytes)
        {
            lock (Installed) Installed.Add((version, Convert.ToHexString(checksum)));
        }

        public void LeaseReceived(Guid leaseId, int worker, string task)
        {
        }

        public void LeaseGivenBack(Guid leaseId, int worker, string task)
        {
        }

        public void TrajectoryAcked(Guid trajectoryId, Guid leaseId, int worker, bool duplicate, long oldestPolicyVersion, long newestPolicyVersion)
        {
        }
    }

    private static ActorSystem RemoteSystem(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString(
        // Nothing here touches maximum-frame-size: the default applies.
        """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.loglevel = WARNING
        """ + "\n" + ClusterMessageSerializer.Hocon));

    [Fact]
    public async Task The_weights_of_a_20M_parameter_model_cross_nodes_in_chunks_at_the_default_frame_size()
    {
        using var models = AgentModels.Create(LlamaConfig.Preset("20m"), RoleSharing.SharedModel, seed: 3);
        long parameters = models.Planner.parameters().Sum(p => p.numel());
        Assert.InRange(parameters, 17_000_000, 21_000_000);
        models.Version = 1;
        byte[] blob = AgentWeightsBlob.Serialize(models);
        string expected = Convert.ToHexString(WeightChecksum.Of(blob));

        using var learnerNode = RemoteSystem("learner");
        using var rolloutNode = RemoteSystem("rollout");
        Assert.Equal(FrameBudget.AkkaMaximumFrameSize, rolloutNode.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(FrameBudget.AkkaMaximumFrameSize, learnerNode.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));

        var store = learnerNode.ActorOf(WeightStore.Props(), "weights");
        var announcement = (await store.Ask<WeightsPublished>(new PublishWeights(1, LoraOnly: false, blob), TimeSpan.FromSeconds(30))).Announcement;
        Assert.True(announcement.ChunkCount > 1000, $"{announcement.ChunkCount} chunks");
        Assert.True(announcement.ChunkBytes < FrameBudget.AkkaMaximumFrameSize);

        var learnerAddress = ((ExtendedActorSystem)learnerNode).Provider.DefaultAddress;
        var remoteStore = await rolloutNode.ActorSelection($"{learnerAddress}/user/weights").ResolveOne(TimeSpan.FromSeconds(10));
        var backend = new RecordingBackend(version: 0);
        var journal = new Journal();
        var clock = Stopwatch.StartNew();
        // The server asks the (remote) store for the newest version as it starts, then pulls it chunk window by window.
        rolloutNode.ActorOf(PolicyServer.Props(() => backend, remoteStore, ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 1, PullWindow = 16 }, journal: journal), "policy-server");

        while (backend.Loads.Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(100);
        output.WriteLine($"{parameters:N0} parameters, {blob.Length:N0} bytes in {announcement.ChunkCount} chunks pulled in {clock.Elapsed.TotalSeconds:F1} s");
        var load = Assert.Single(backend.Loads);
        Assert.Equal(1, load.Version);
        Assert.True(blob.AsSpan().SequenceEqual(load.Blob), "the installed blob differs from the published one");
        Assert.Equal([(1L, expected)], journal.Installed);
    }
}

using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Tests.Serialization;

public class ClusterMessageSerializerTests
{
    // The serializer never touches its actor system, so the functional tests need none.
    private readonly ClusterMessageSerializer _serializer = new(null!);

    public static TheoryData<IClusterMessage> EveryMessage()
    {
        var data = new TheoryData<IClusterMessage>();
        foreach (var message in SampleMessages.OneOfEach()) data.Add(message);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public void Every_message_type_round_trips(IClusterMessage message)
    {
        var manifest = _serializer.Manifest(message);
        var bytes = _serializer.ToBinary(message);

        var back = _serializer.FromBinary(bytes, manifest);

        Assert.IsType(message.GetType(), back);
        // Byte equality covers array fields, which record equality compares by reference.
        Assert.Equal(bytes, _serializer.ToBinary(back));
        Assert.True(bytes.Length < FrameBudget.MaxMessageBytes);
    }

    [Fact]
    public void Round_trip_keeps_field_values()
    {
        var batch = SampleMessages.Batch(policyVersion: 7, trialReturn: 1.0);
        var back = (TrajectoryBatch)_serializer.FromBinary(_serializer.ToBinary(batch), "traj.batch");

        Assert.Equal(batch.TrajectoryId, back.TrajectoryId);
        Assert.Equal((7L, 8L), (back.OldestPolicyVersion, back.NewestPolicyVersion));
        Assert.Equal(batch.Episode.Trials[1].Turns[2].BehaviourLogProbs, back.Episode.Trials[1].Turns[2].BehaviourLogProbs);
        Assert.Equal(batch.Episode.Reflections[0].Text, back.Episode.Reflections[0].Text);
    }

    [Fact]
    public void A_weights_announcement_keeps_its_stream_endpoint_and_one_from_an_older_node_has_none()
    {
        var sha = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var announcement = new WeightsVersionReady(9, false, 1000, 64, 16, sha, Epoch: 2, StreamUri: "http://10.0.0.5:5054");
        var back = (WeightsVersionReady)_serializer.FromBinary(_serializer.ToBinary(announcement), "weights.ready");
        Assert.Equal("http://10.0.0.5:5054", back.StreamUri);
        Assert.Equal((9L, 2L, 1000L, 16), (back.Version, back.Epoch, back.TotalBytes, back.ChunkCount));
        Assert.Equal(sha, back.Checksum);

        // What a node without the stream transports sends: the seven fields before the endpoint existed.
        var old = (WeightsVersionReady)_serializer.FromBinary(SevenFieldAnnouncement(sha), "weights.ready");
        Assert.Null(old.StreamUri);
        Assert.Equal((9L, 2L, 1000L, 16), (old.Version, old.Epoch, old.TotalBytes, old.ChunkCount));
        Assert.Equal(sha, old.Checksum);

        // An endpoint over the bound is refused on decode too.
        Assert.Throws<ArgumentException>(() => new WeightsVersionReady(9, false, 1000, 64, 16, sha, StreamUri: "http://" + new string('h', 600)));

        // A node from before the XXH128 checksum announced a 32-byte SHA-256: refused on decode, saying why.
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() =>
            _serializer.FromBinary(SevenFieldAnnouncement(new byte[32]), "weights.ready"));
        Assert.Contains("Checksum must be 16 bytes (XXH128; got 32)", e.Message, StringComparison.Ordinal);
    }

    private static byte[] SevenFieldAnnouncement(byte[] checksum)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new MessagePack.MessagePackWriter(writer);
        w.WriteArrayHeader(2);
        w.Write("weights.ready");
        w.WriteArrayHeader(7);
        w.Write(9L);
        w.Write(false);
        w.Write(1000L);
        w.Write(64);
        w.Write(16);
        w.Write(checksum);
        w.Write(2L);
        w.Flush();
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Every_cluster_message_type_in_the_assembly_is_in_the_registry()
    {
        var messageTypes = typeof(IClusterMessage).Assembly.GetTypes()
            .Where(t => typeof(IClusterMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .ToHashSet();

        Assert.Equal(messageTypes.OrderBy(t => t.Name), ClusterMessageRegistry.Manifests.Keys.OrderBy(t => t.Name));
        Assert.Equal(messageTypes.Count, ClusterMessageRegistry.Manifests.Values.Distinct().Count());
        Assert.All(ClusterMessageRegistry.Manifests.Values, m => Assert.InRange(m.Length, 1, 20));
        // The sample set used by the round-trip test covers them all too.
        Assert.Equal(messageTypes, SampleMessages.OneOfEach().Select(m => m.GetType()).ToHashSet());
    }

    [Fact]
    public void Unknown_manifest_is_a_clear_error()
    {
        var bytes = _serializer.ToBinary(new TrajectoryAck(Guid.NewGuid(), false));

        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "traj.ack.v9"));
        Assert.Contains("unknown cluster message manifest 'traj.ack.v9'", ex.Message);
    }

    [Fact]
    public void Garbage_bytes_are_a_clear_error()
    {
        var garbage = new byte[200];
        new Random(1).NextBytes(garbage);

        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary(garbage, "weights.chunk"));
        Assert.Contains("'weights.chunk'", ex.Message);
    }

    [Fact]
    public void Empty_bytes_are_a_clear_error()
    {
        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary([], "task.lease"));
        Assert.Contains("'task.lease'", ex.Message);
    }

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public void Every_truncation_is_a_clear_error(IClusterMessage message)
    {
        var manifest = _serializer.Manifest(message);
        var bytes = _serializer.ToBinary(message);

        for (int length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 50))
        {
            var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..length], manifest));
            Assert.Contains($"'{manifest}'", ex.Message);
        }
    }

    [Fact]
    public void Trailing_bytes_are_a_clear_error()
    {
        var bytes = _serializer.ToBinary(new LeaseCompleted(Guid.NewGuid(), Guid.NewGuid()));

        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary([.. bytes, 0xC0], "task.done"));
        Assert.Contains("left over", ex.Message);
    }

    [Fact]
    public void Bytes_of_another_type_are_a_clear_error()
    {
        var bytes = _serializer.ToBinary(new TrajectoryAck(Guid.NewGuid(), true));

        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "task.done"));
        Assert.Contains("are a 'traj.ack', not the 'task.done'", ex.Message);
    }

    [Fact]
    public void A_type_outside_the_registry_is_a_clear_error()
    {
        var ex = Assert.Throws<SerializationException>(() => _serializer.ToBinary("just a string"));
        Assert.Contains("System.String has no manifest", ex.Message);
        Assert.Throws<SerializationException>(() => _serializer.Manifest(42));
    }

    [Fact]
    public void A_message_over_the_frame_budget_is_refused_not_sent()
    {
        var huge = TrajectoryBatch.Create(Guid.NewGuid(), SampleMessages.Episode(trials: 3, turnsPerTrial: 50, tokensPerTurn: 300));

        var ex = Assert.Throws<SerializationException>(() => _serializer.ToBinary(huge));
        Assert.Contains("frame budget", ex.Message);
    }

    [Fact]
    public void A_decoded_message_that_breaks_a_bound_is_a_clear_error()
    {
        // A peer could send a reason longer than the bound; the constructor check fires on decode too.
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var w = new MessagePack.MessagePackWriter(writer);
        w.WriteArrayHeader(2);
        w.Write("task.back");
        w.WriteArrayHeader(2);
        MessagePack.MessagePackSerializer.Serialize(ref w, Guid.NewGuid(), ClusterMessageCodec.Options);
        w.Write(new string('x', LeaseGivenBack.MaxReasonBytes + 1));
        w.Flush();

        var ex = Assert.Throws<SerializationException>(() => _serializer.FromBinary(writer.WrittenSpan.ToArray(), "task.back"));
        Assert.Contains("LeaseGivenBack.Reason", ex.Message);
    }

    [Fact]
    public void Hocon_binds_the_marker_interface_to_this_serializer()
    {
        using var system = ActorSystem.Create("serializer-binding", ConfigurationFactory.ParseString(ClusterMessageSerializer.Hocon));

        var found = system.Serialization.FindSerializerFor(new TrajectoryAck(Guid.NewGuid(), false));

        Assert.IsType<ClusterMessageSerializer>(found);
        Assert.Equal(ClusterMessageSerializer.SerializerId, found.Identifier);
    }
}

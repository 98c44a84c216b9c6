using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Serialization;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;
using Xunit.Abstractions;

namespace RetroAct.Actors.Tests.Serialization;

/// <summary>Bytes a peer on another protocol version (or a broken one) could send: <see cref="Bytes"/> under <see cref="Manifest"/>.</summary>
public sealed record ForgedClusterMessage(string Manifest, byte[] Bytes);

/// <summary>
/// The sending node's stand-in for <see cref="ClusterMessageSerializer"/>: the same serializer id and the same encoding
/// of real cluster messages, but a <see cref="ForgedClusterMessage"/> goes out as its raw bytes and manifest.
/// </summary>
public sealed class ForgingSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public override int Identifier => ClusterMessageSerializer.SerializerId;

    public override string Manifest(object o) => o is ForgedClusterMessage forged ? forged.Manifest : ClusterMessageRegistry.ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj) => obj is ForgedClusterMessage forged ? forged.Bytes : ClusterMessageCodec.Encode(obj);

    public override object FromBinary(byte[] bytes, string manifest) => ClusterMessageCodec.Decode(bytes, manifest);
}

/// <summary>
/// Stands in for Akka's default JSON serializer (id 1) on the sending node, so it can send what a foreign peer could:
/// a CLR type the receiver does not have, or bytes that are not JSON. Akka builds the "json" entry with its settings.
/// </summary>
public sealed class JsonImpersonatingSerializer : SerializerWithStringManifest
{
    public JsonImpersonatingSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public JsonImpersonatingSerializer(ExtendedActorSystem system, Config settings) : base(system)
    {
    }

    public override int Identifier => 1;

    public override string Manifest(object o) => ((ForgedJsonMessage)o).TypeName;

    public override byte[] ToBinary(object obj) => ((ForgedJsonMessage)obj).Bytes;

    public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("the sending node only sends these");
}

/// <summary>What the JSON impersonator sends: <see cref="Bytes"/> claiming to be a <see cref="TypeName"/>.</summary>
public sealed record ForgedJsonMessage(string TypeName, byte[] Bytes);

/// <summary>A message of a protocol the receiving node has never heard of (a serializer id it does not have).</summary>
public sealed record ForeignProtocolMessage(string Text);

/// <summary>The foreign protocol's serializer, registered on the sending node only.</summary>
public sealed class ForeignProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4799;

    public override int Identifier => Id;

    public override string Manifest(object o) => "foreign.hello";

    public override byte[] ToBinary(object obj) => System.Text.Encoding.UTF8.GetBytes(((ForeignProtocolMessage)obj).Text);

    public override object FromBinary(byte[] bytes, string manifest) => new ForeignProtocolMessage(System.Text.Encoding.UTF8.GetString(bytes));
}

/// <summary>
/// A malformed or foreign message from another node, over real Akka.Remote TCP between two actor systems on 127.0.0.1:
/// the receiver drops each undecodable message with a log line naming what was wrong and which node sent it, stays up,
/// keeps the connection, and delivers the valid message sent after them to the same actor.
/// </summary>
public sealed class UndecodableMessagesOverRemotingTests(ITestOutputHelper output)
{
    /// <summary>Records every message it gets and answers each with itself.</summary>
    private sealed class Inbox(ConcurrentQueue<object> received) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            received.Enqueue(message);
            Sender.Tell(message);
        }
    }

    /// <summary>Keeps the warnings and errors the actor system logs.</summary>
    private sealed class LogCollector(ConcurrentQueue<LogEvent> events) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is LogEvent e) events.Enqueue(e);
        }
    }

    private static string Remoting(string serialization) => """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.loglevel = WARNING
        akka.stdout-loglevel = OFF
        """ + "\n" + serialization;

    private static string Binding<T>(string serializer) => $"\"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}\" = {serializer}";

    private static readonly string SenderSerialization = $$"""
        akka.actor {
          serializers {
            forging = "{{typeof(ForgingSerializer).FullName}}, {{typeof(ForgingSerializer).Assembly.GetName().Name}}"
            foreign = "{{typeof(ForeignProtocolSerializer).FullName}}, {{typeof(ForeignProtocolSerializer).Assembly.GetName().Name}}"
            json = "{{typeof(JsonImpersonatingSerializer).FullName}}, {{typeof(JsonImpersonatingSerializer).Assembly.GetName().Name}}"
          }
          serialization-bindings {
            {{Binding<IClusterMessage>("forging")}}
            {{Binding<ForgedClusterMessage>("forging")}}
            {{Binding<ForeignProtocolMessage>("foreign")}}
            {{Binding<ForgedJsonMessage>("json")}}
          }
        }
        """;

    [Fact]
    public async Task A_receiver_logs_and_drops_undecodable_messages_and_delivers_the_next_valid_one()
    {
        using var receiver = ActorSystem.Create("receiver", ConfigurationFactory.ParseString(Remoting(ClusterMessageSerializer.Hocon)));
        using var sender = ActorSystem.Create("sender", ConfigurationFactory.ParseString(Remoting(SenderSerialization)));
        var events = new ConcurrentQueue<LogEvent>();
        var collector = receiver.ActorOf(Props.Create(() => new LogCollector(events)), "log-collector");
        receiver.EventStream.Subscribe(collector, typeof(Warning));
        receiver.EventStream.Subscribe(collector, typeof(Error));
        var received = new ConcurrentQueue<object>();
        receiver.ActorOf(Props.Create(() => new Inbox(received)), "inbox");

        var receiverAddress = ((ExtendedActorSystem)receiver).Provider.DefaultAddress;
        var senderAddress = ((ExtendedActorSystem)sender).Provider.DefaultAddress;
        var inbox = await sender.ActorSelection($"{receiverAddress}/user/inbox").ResolveOne(TimeSpan.FromSeconds(10));

        // A valid message first: the connection is up and the sender's encoding is the receiver's.
        var before = new TrajectoryAck(Guid.NewGuid(), Duplicate: false);
        Assert.Equal(before, await inbox.Ask<TrajectoryAck>(before, TimeSpan.FromSeconds(10)));

        var garbage = new byte[200];
        new Random(7).NextBytes(garbage);
        var ackBytes = ClusterMessageCodec.Encode(new TrajectoryAck(Guid.NewGuid(), Duplicate: true));
        inbox.Tell(new ForgedClusterMessage("weights.chunk", garbage));          // damaged bytes
        inbox.Tell(new ForgedClusterMessage("task.lease.v9", ackBytes));         // a message type this node does not know
        inbox.Tell(new ForgedClusterMessage("task.done", ackBytes));             // another type's bytes under a known manifest
        inbox.Tell(new ForgedClusterMessage("traj.ack", ackBytes[..^3]));        // truncated
        inbox.Tell(new ForeignProtocolMessage("hello from another protocol"));  // a serializer this node does not have
        inbox.Tell(new ForgedJsonMessage("Other.Protocol.Hello, OtherAssembly", "{}"u8.ToArray())); // a CLR type this node does not have
        inbox.Tell(new ForgedJsonMessage("System.String", [0xFF, 0xFE, 0x00, 0x12]));                // not JSON at all

        // Messages on one connection arrive in order: when the reply to this one comes back, the bad ones were handled.
        var after = new TrajectoryAck(Guid.NewGuid(), Duplicate: false);
        Assert.Equal(after, await inbox.Ask<TrajectoryAck>(after, TimeSpan.FromSeconds(10)));

        Assert.Equal([before, after], received.ToArray()); // nothing undecodable was delivered, nothing valid lost
        Assert.False(receiver.WhenTerminated.IsCompleted);
        await Task.Delay(300); // the log events travel through the event stream
        var logged = events.ToArray();
        foreach (var e in logged) output.WriteLine($"{e.LogLevel()} [{StandardErrorLogger.Readable(e)}]");

        // Our serializer says what arrived and why it was not delivered.
        var errors = logged.OfType<Error>().Select(e => e.Message.ToString()!).ToList();
        AssertLogged(errors, "manifest 'weights.chunk', 200 bytes", "cannot decode cluster message 'weights.chunk'");
        AssertLogged(errors, "manifest 'task.lease.v9'", "unknown cluster message manifest 'task.lease.v9'");
        AssertLogged(errors, "manifest 'task.done'", "are a 'traj.ack', not the 'task.done'");
        AssertLogged(errors, "manifest 'traj.ack'", "cannot decode cluster message 'traj.ack'");
        Assert.All(errors, e => Assert.Contains("not delivered", e, StringComparison.Ordinal));

        // Akka.Remote's warning for each dropped message names the manifest (or the unknown serializer) and, in its
        // log source, the sending node; the connection stays up ("association remains live").
        var warnings = logged.OfType<Warning>().Where(w => w.Message.ToString()!.Contains("association remains live", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, warnings.Count);
        // The node's log line (StandardErrorLogger) shows the sender's address unescaped.
        Assert.All(warnings, w => Assert.Contains($"-{senderAddress}-", StandardErrorLogger.Readable(w), StringComparison.Ordinal));
        AssertLogged(warnings, $"serializer id [{ForeignProtocolSerializer.Id}] and manifest [foreign.hello]", "Cannot find serializer");
        AssertLogged(warnings, "serializer id [1] and manifest [Other.Protocol.Hello, OtherAssembly]", "Cannot find manifest class");
        AssertLogged(warnings, "serializer id [1] and manifest [System.String]", "Unexpected character");
        // No association was lost on the way.
        Assert.DoesNotContain(logged, e => e.Message.ToString()!.Contains("Disassociated", StringComparison.OrdinalIgnoreCase)
                                           || e.Message.ToString()!.Contains("quarantin", StringComparison.OrdinalIgnoreCase));
    }

    private static void AssertLogged(IReadOnlyList<string> lines, string what, string why) =>
        Assert.True(lines.Any(e => e.Contains(what, StringComparison.Ordinal) && e.Contains(why, StringComparison.Ordinal)),
            $"no line with \"{what}\" and \"{why}\" among:\n{string.Join("\n", lines)}");

    private static void AssertLogged(IReadOnlyList<Warning> warnings, string what, string why) =>
        AssertLogged(warnings.Select(w => w.Message.ToString()!).ToList(), what, why);
}

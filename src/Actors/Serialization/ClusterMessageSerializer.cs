using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Event;
using Akka.Serialization;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Serialization;

/// <summary>
/// The one Akka serializer for every <see cref="IClusterMessage"/>: MessagePack with untrusted-data security and a
/// short stable manifest per type (<see cref="ClusterMessageRegistry"/>). Bind it with <see cref="Hocon"/>.
/// </summary>
/// <remarks>
/// Bytes from another node that do not decode (garbage, an unknown manifest, another type's bytes) raise a
/// <see cref="SerializationException"/> naming the manifest. Akka.Remote (1.5.74) then drops that one message, keeps
/// the connection and logs a warning ("Deserialization failed for message with serializer id [4711] and manifest
/// [...]. Transient association error (association remains live)"), with a stack trace and a hint to "contact your
/// plugin provider"; the sending node appears only in that warning's log source (the endpoint reader's name). So this
/// serializer also logs one plain error line: what arrived, why it does not decode, and that it was not delivered.
/// </remarks>
public sealed class ClusterMessageSerializer : SerializerWithStringManifest
{
    private readonly ExtendedActorSystem? _system;
    private ILoggingAdapter? _log;

    /// <summary>Akka serializer id; ids 0–40 are reserved by Akka itself.</summary>
    public const int SerializerId = 4711;

    /// <summary>The name the HOCON binding uses for this serializer.</summary>
    public const string SerializerName = "retroact-msgpack";

    /// <summary>Binds <see cref="IClusterMessage"/> (and so every message type) to this serializer.</summary>
    public static readonly string Hocon = $$"""
        akka.actor {
          serializers {
            {{SerializerName}} = "{{typeof(ClusterMessageSerializer).FullName}}, {{typeof(ClusterMessageSerializer).Assembly.GetName().Name}}"
          }
          serialization-bindings {
            "{{typeof(IClusterMessage).FullName}}, {{typeof(IClusterMessage).Assembly.GetName().Name}}" = {{SerializerName}}
          }
          serialization-identifiers {
            "{{typeof(ClusterMessageSerializer).FullName}}, {{typeof(ClusterMessageSerializer).Assembly.GetName().Name}}" = {{SerializerId}}
          }
        }
        """;

    /// <summary>Akka creates the serializer with the actor system.</summary>
    public ClusterMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        _system = system;
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o) => ClusterMessageRegistry.ManifestOf(o.GetType());

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => ClusterMessageCodec.Encode(obj);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            return ClusterMessageCodec.Decode(bytes, manifest);
        }
        catch (SerializationException e)
        {
            if (_system is not null)
            {
                _log ??= Logging.GetLogger(_system, nameof(ClusterMessageSerializer));
                _log.Error("undecodable cluster message not delivered (manifest '{0}', {1} bytes): {2}. The sender runs another " +
                           "protocol version or the bytes were damaged; the connection stays up.",
                    ClusterMessageRegistry.Printable(manifest), bytes.Length, e.Message);
            }
            throw;
        }
    }
}

using Akka.Actor;
using Akka.Serialization;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Serialization;

/// <summary>
/// The one Akka serializer for every <see cref="IClusterMessage"/>: MessagePack with untrusted-data security and a
/// short stable manifest per type (<see cref="ClusterMessageRegistry"/>). Bind it with <see cref="Hocon"/>.
/// </summary>
public sealed class ClusterMessageSerializer : SerializerWithStringManifest
{
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
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o) => ClusterMessageRegistry.ManifestOf(o.GetType());

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => ClusterMessageCodec.Encode(obj);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) => ClusterMessageCodec.Decode(bytes, manifest);
}

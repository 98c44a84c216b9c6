using System.Buffers;
using System.Runtime.Serialization;
using MessagePack;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Serialization;

/// <summary>
/// Encodes and decodes <see cref="IClusterMessage"/>s without an actor system (the Akka serializer delegates here).
/// The payload is a two-element MessagePack array [manifest, message], so bytes that reach the wrong decoder are
/// detected instead of silently decoding into a default-filled object of another type.
/// </summary>
public static class ClusterMessageCodec
{
    /// <summary>MessagePack options for everything that crosses a node or lands on disk: peers and files are untrusted.</summary>
    public static MessagePackSerializerOptions Options { get; } =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Serializes a registered message; refuses one larger than <see cref="FrameBudget.MaxMessageBytes"/> rather than let the transport drop it.</summary>
    public static byte[] Encode(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        var manifest = ClusterMessageRegistry.ManifestOf(type);
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2);
        writer.Write(manifest);
        MessagePackSerializer.Serialize(type, ref writer, message, Options);
        writer.Flush();
        if (buffer.WrittenCount > FrameBudget.MaxMessageBytes)
            throw new SerializationException(
                $"cluster message '{manifest}' is {buffer.WrittenCount} bytes, over the {FrameBudget.MaxMessageBytes}-byte frame budget " +
                $"(Akka would drop it); split it (TrajectorySplitter, WeightChunker)");
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Deserializes bytes that claim to be <paramref name="manifest"/>; any mismatch or damage is a <see cref="SerializationException"/> naming it.</summary>
    public static IClusterMessage Decode(ReadOnlyMemory<byte> bytes, string manifest)
    {
        var type = ClusterMessageRegistry.TypeOf(manifest);
        try
        {
            var reader = new MessagePackReader(bytes);
            int elements = reader.ReadArrayHeader();
            if (elements != 2)
                throw Damaged(manifest, $"envelope has {elements} elements, expected 2");
            var embedded = reader.ReadString();
            if (!string.Equals(embedded, manifest, StringComparison.Ordinal))
                throw new SerializationException(
                    $"cluster message bytes are a '{ClusterMessageRegistry.Printable(embedded)}', not the '{manifest}' the manifest says");
            var message = MessagePackSerializer.Deserialize(type, ref reader, Options)
                ?? throw Damaged(manifest, "payload is nil");
            if (!reader.End)
                throw Damaged(manifest, $"{bytes.Length - reader.Consumed} bytes left over after the message");
            return (IClusterMessage)message;
        }
        catch (Exception ex) when (ex is not (SerializationException or OutOfMemoryException))
        {
            // MessagePack throws several types for truncated or garbled input (and constructors throw when a bound
            // is broken); callers get one exception type that names what was being decoded.
            throw Damaged(manifest, Innermost(ex).Message, ex);
        }
    }

    private static SerializationException Damaged(string manifest, string why, Exception? inner = null) =>
        new($"cannot decode cluster message '{manifest}': {why}", inner);

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}

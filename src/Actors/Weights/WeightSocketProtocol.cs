using System.Buffers.Binary;
using System.Text;

namespace RetroAct.Actors.Weights;

/// <summary>
/// The bytes of one plain-socket weight pull (all integers little-endian):
/// request = magic "RAW1", version (int64), learner epoch (int64);
/// answer = status 0, length (int64), the blob — or status 1, reason length (int32), the reason in UTF-8.
/// One pull per connection; the server closes after the answer.
/// </summary>
public static class WeightSocketProtocol
{
    /// <summary>The URI scheme announcements use for this transport (<c>tcp://host:port</c>).</summary>
    public const string Scheme = "tcp";

    public const int RequestBytes = 4 + 8 + 8;
    public const int BlobHeaderBytes = 1 + 8;
    public const byte StatusBlob = 0;
    public const byte StatusRefused = 1;

    /// <summary>Longest refusal reason sent or accepted (UTF-8 bytes).</summary>
    public const int MaxReasonBytes = 4096;

    private static ReadOnlySpan<byte> Magic => "RAW1"u8;

    public static byte[] Request(long version, long epoch)
    {
        var bytes = new byte[RequestBytes];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), epoch);
        return bytes;
    }

    /// <summary>False when <paramref name="request"/> does not start with the magic bytes.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> request, out long version, out long epoch)
    {
        version = epoch = 0;
        if (request.Length != RequestBytes || !request[..4].SequenceEqual(Magic)) return false;
        version = BinaryPrimitives.ReadInt64LittleEndian(request[4..]);
        epoch = BinaryPrimitives.ReadInt64LittleEndian(request[12..]);
        return true;
    }

    public static byte[] BlobHeader(long length)
    {
        var bytes = new byte[BlobHeaderBytes];
        bytes[0] = StatusBlob;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), length);
        return bytes;
    }

    public static byte[] Refusal(string reason)
    {
        byte[] text = Encoding.UTF8.GetBytes(reason);
        if (text.Length > MaxReasonBytes) text = text[..MaxReasonBytes];
        var bytes = new byte[1 + 4 + text.Length];
        bytes[0] = StatusRefused;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), text.Length);
        text.CopyTo(bytes, 5);
        return bytes;
    }
}

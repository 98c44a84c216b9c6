using System.Text;

namespace RetroAct.Actors.Protocol;

/// <summary>
/// Size limits every cluster message is built to respect. Akka.Remote drops a message larger than
/// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> (128,000 bytes by default) with only an ERROR log line, so
/// each message type bounds its variable-size fields in its constructor, and the serializer refuses anything over
/// <see cref="MaxMessageBytes"/> instead of letting the transport drop it.
/// </summary>
public static class FrameBudget
{
    /// <summary>Akka.Remote's default maximum frame size in bytes.</summary>
    public const int AkkaMaximumFrameSize = 128_000;

    /// <summary>
    /// The most serialized bytes one message may take. The ~8 KB margin below the frame covers Akka's envelope
    /// (recipient and sender paths, serializer id, manifest).
    /// </summary>
    public const int MaxMessageBytes = 120_000;

    /// <summary>Returns <paramref name="value"/> when its UTF-8 encoding fits <paramref name="maxUtf8Bytes"/>; throws naming the field otherwise.</summary>
    public static string Text(string value, int maxUtf8Bytes, string message, string field)
    {
        ArgumentNullException.ThrowIfNull(value, $"{message}.{field}");
        int bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > maxUtf8Bytes)
            throw new ArgumentException($"{message}.{field} is {bytes} UTF-8 bytes; at most {maxUtf8Bytes} fit the frame budget", field);
        return value;
    }

    /// <summary>Returns <paramref name="items"/> when it holds at most <paramref name="maxCount"/> elements; throws naming the field otherwise.</summary>
    public static T[] Count<T>(T[] items, int maxCount, string message, string field)
    {
        CheckCount(items?.Length, maxCount, message, field);
        return items!;
    }

    /// <inheritdoc cref="Count{T}(T[], int, string, string)"/>
    public static IReadOnlyList<T> Count<T>(IReadOnlyList<T> items, int maxCount, string message, string field)
    {
        CheckCount(items?.Count, maxCount, message, field);
        return items!;
    }

    /// <inheritdoc cref="Count{T}(T[], int, string, string)"/>
    public static IReadOnlyDictionary<TKey, TValue> Count<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> items, int maxCount, string message, string field)
    {
        CheckCount(items?.Count, maxCount, message, field);
        return items!;
    }

    private static void CheckCount(int? count, int maxCount, string message, string field)
    {
        if (count is null)
            throw new ArgumentNullException(field, $"{message}.{field} is null");
        if (count > maxCount)
            throw new ArgumentException($"{message}.{field} has {count} elements; at most {maxCount} fit the frame budget", field);
    }

    /// <summary>Returns <paramref name="value"/> when it lies in [<paramref name="min"/>, <paramref name="max"/>]; throws naming the field otherwise.</summary>
    public static int InRange(int value, int min, int max, string message, string field) =>
        value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(field, value, $"{message}.{field} must be in [{min}, {max}]");
}

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
        // A UTF-16 char is at most 3 UTF-8 bytes (a surrogate pair, 2 chars, is 4): short texts need no count. Every
        // generation request and answer passes here.
        if (value.Length <= maxUtf8Bytes / 3) return value;
        int bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > maxUtf8Bytes)
            throw new ArgumentException($"{message}.{field} is {bytes} UTF-8 bytes; at most {maxUtf8Bytes} fit the frame budget", field);
        return value;
    }

    /// <summary>
    /// Returns <paramref name="items"/> when it holds at most <paramref name="maxCount"/> texts of at most
    /// <paramref name="maxUtf8Bytes"/> UTF-8 bytes in all, none null; throws naming the field otherwise.
    /// </summary>
    public static IReadOnlyList<string> Texts(IReadOnlyList<string> items, int maxCount, int maxUtf8Bytes, string message, string field)
    {
        CheckCount(items?.Count, maxCount, message, field);
        long bytes = 0;
        foreach (string item in items!)
        {
            if (item is null) throw new ArgumentNullException(field, $"{message}.{field} holds a null text");
            bytes += item.Length <= maxUtf8Bytes / 3 ? item.Length * 3L : Encoding.UTF8.GetByteCount(item); // an upper bound first
        }
        if (bytes > maxUtf8Bytes)
        {
            bytes = items.Sum(item => (long)Encoding.UTF8.GetByteCount(item));
            if (bytes > maxUtf8Bytes)
                throw new ArgumentException($"{message}.{field} is {bytes} UTF-8 bytes; at most {maxUtf8Bytes} fit the frame budget", field);
        }
        return items;
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

using System.Text;
using System.Text.Json;

namespace RetroAct.Actors.Journals;

/// <summary>
/// An append-only JSON Lines file, one object per line, flushed before <see cref="Append"/> returns. Thread-safe: the
/// workers of a node share one. Opening a file whose last line was torn (a kill -9 mid-write) starts on a fresh line,
/// so the torn line stays the only unreadable one. Readers (tests, tools) skip lines that do not parse.
/// </summary>
public sealed class JsonlJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly FileStream _file;
    private readonly object _gate = new();

    public JsonlJournal(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 1);
        if (_file.Length > 0)
        {
            _file.Seek(-1, SeekOrigin.End);
            bool endsWithNewline = _file.ReadByte() == '\n';
            _file.Seek(0, SeekOrigin.End);
            if (!endsWithNewline) _file.WriteByte((byte)'\n');
        }
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Appends <paramref name="entry"/> as one line (snake_case property names) and flushes it.</summary>
    public void Append<T>(T entry)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        lock (_gate)
        {
            _file.Write(line);
            _file.Flush(flushToDisk: false);
        }
    }

    /// <summary>Every line of <paramref name="path"/> that parses as <typeparamref name="T"/> (a torn line is skipped); empty when the file does not exist.</summary>
    public static IReadOnlyList<T> Read<T>(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<T>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<T>(line, Json) is { } entry) entries.Add(entry);
            }
            catch (JsonException)
            {
                // a line torn by a crash
            }
        }
        return entries;
    }

    public void Dispose()
    {
        lock (_gate) _file.Dispose();
    }
}

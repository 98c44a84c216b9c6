using System.Buffers.Binary;

namespace RetroAct.Actors.Replay;

/// <summary>
/// An append-only file of records, each durable on disk before <see cref="Append"/> returns.
/// File: an 8-byte magic, then records of [u32 length][u32 ~length][u32 CRC-32 of payload][payload], little-endian.
/// The length is stored twice (plain and complemented) so a record with a damaged payload can be skipped while the
/// records after it survive; a damaged length cannot be skipped past, so everything from there is cut off.
/// Call <see cref="Recover"/> once after opening, before appending.
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    /// <summary>Largest record accepted; also the guard that stops a damaged length from allocating gigabytes.</summary>
    public const int MaxRecordBytes = 256 * 1024 * 1024;

    private const int HeaderBytes = 12;
    private static readonly byte[] Magic = "RAWAL\0\0\u0001"u8.ToArray();

    private FileStream _file;
    private bool _recovered;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>; the file stays open and exclusively writable until disposed.</summary>
    public WriteAheadLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = Open(Path);
    }

    /// <summary>The log file's full path.</summary>
    public string Path { get; }

    /// <summary>Records appended since <see cref="Recover"/> (or the last <see cref="Rewrite"/>), plus those recovered.</summary>
    public long RecordCount { get; private set; }

    /// <summary>
    /// Reads every intact record, skips damaged ones whose length is intact, and truncates a torn or corrupt tail so
    /// new records follow the last good one. Throws <see cref="InvalidDataException"/> for a file that is not a log.
    /// </summary>
    public WalRecovery Recover()
    {
        _file.Position = 0;
        var magic = new byte[Magic.Length];
        int magicBytes = _file.ReadAtLeast(magic, Magic.Length, throwOnEndOfStream: false);
        if (magicBytes < Magic.Length && magic.AsSpan(0, magicBytes).SequenceEqual(Magic.AsSpan(0, magicBytes)))
        {
            // Empty, or a crash while the magic itself was being written: start a fresh log.
            _file.SetLength(0);
            WriteDurably(Magic);
            _recovered = true;
            RecordCount = 0;
            return new WalRecovery([], 0, 0, magicBytes, magicBytes == 0 ? null : $"torn file header ({magicBytes} of {Magic.Length} bytes)");
        }
        if (magicBytes < Magic.Length || !magic.AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{Path} is not a RetroAct write-ahead log (bad magic); refusing to truncate it");

        var (records, skipped, skippedBytes, position, truncation) = Scan(_file);
        long length = _file.Length;
        long truncated = length - position;
        if (truncated > 0)
        {
            _file.SetLength(position);
            _file.Flush(flushToDisk: true);
        }
        _file.Position = position;
        _recovered = true;
        RecordCount = records.Count;
        return new WalRecovery(records, skipped, skippedBytes, truncated, truncation);
    }

    /// <summary>
    /// Reads the log at <paramref name="path"/> without changing it (it may be open for appending by another
    /// process): the intact records and what recovery would report. For tools and crash tests.
    /// </summary>
    public static WalRecovery ReadOnly(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var magic = new byte[Magic.Length];
        int magicBytes = file.ReadAtLeast(magic, Magic.Length, throwOnEndOfStream: false);
        if (magicBytes < Magic.Length || !magic.AsSpan().SequenceEqual(Magic))
        {
            if (magic.AsSpan(0, magicBytes).SequenceEqual(Magic.AsSpan(0, magicBytes)))
                return new WalRecovery([], 0, 0, magicBytes, magicBytes == 0 ? null : $"torn file header ({magicBytes} of {Magic.Length} bytes)");
            throw new InvalidDataException($"{path} is not a RetroAct write-ahead log (bad magic)");
        }
        var (records, skipped, skippedBytes, position, truncation) = Scan(file);
        return new WalRecovery(records, skipped, skippedBytes, file.Length - position, truncation);
    }

    // Scans records from after the magic to the first torn or corrupt length; skips damaged payloads with an intact length.
    private static (List<byte[]> Records, int Skipped, long SkippedBytes, long Position, string? Truncation) Scan(FileStream file)
    {
        var records = new List<byte[]>();
        int skipped = 0;
        long skippedBytes = 0;
        string? truncation = null;
        long position = Magic.Length;
        long length = file.Length;
        var header = new byte[HeaderBytes];
        while (position < length)
        {
            long remaining = length - position;
            if (remaining < HeaderBytes)
            {
                truncation = $"torn record header at offset {position} ({remaining} of {HeaderBytes} bytes)";
                break;
            }
            file.Position = position;
            file.ReadExactly(header);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header);
            uint sizeCheck = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            if (size != ~sizeCheck || size > MaxRecordBytes)
            {
                truncation = $"corrupt record length at offset {position}";
                break;
            }
            if (remaining - HeaderBytes < size)
            {
                truncation = $"torn record at offset {position} ({remaining - HeaderBytes} of {size} payload bytes)";
                break;
            }
            var payload = new byte[size];
            file.ReadExactly(payload);
            long next = position + HeaderBytes + size;
            if (Crc32.Compute(payload) != crc)
            {
                if (next == length)
                {
                    truncation = $"CRC mismatch in the last record at offset {position}";
                    break;
                }
                // A bad payload with an intact length: skip just this record so the acknowledged ones after it survive.
                skipped++;
                skippedBytes += HeaderBytes + size;
            }
            else
            {
                records.Add(payload);
            }
            position = next;
        }

        return (records, skipped, skippedBytes, position, truncation);
    }

    /// <summary>
    /// Appends one record and returns only once it is flushed to the disk. With <paramref name="durable"/> false the
    /// record reaches the operating system but not necessarily the disk: call <see cref="Flush"/> before relying on
    /// it (group commit — one fsync for many records).
    /// </summary>
    public void Append(ReadOnlySpan<byte> payload, bool durable = true)
    {
        if (!_recovered)
            throw new InvalidOperationException($"call {nameof(Recover)}() before {nameof(Append)}: records appended after a torn tail would be unreadable");
        if (payload.Length > MaxRecordBytes)
            throw new ArgumentException($"record is {payload.Length} bytes; the log accepts at most {MaxRecordBytes}", nameof(payload));
        // One write per record: header and payload reach the file together, so a crash tears at most this record.
        var buffer = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), ~(uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), Crc32.Compute(payload));
        payload.CopyTo(buffer.AsSpan(HeaderBytes));
        if (durable) WriteDurably(buffer);
        else _file.Write(buffer);
        RecordCount++;
    }

    /// <summary>
    /// Replaces the whole log with <paramref name="records"/> (compaction). Written to a side file, flushed, then
    /// renamed over the log, so a crash leaves either the old log or the new one, never a mix.
    /// </summary>
    public void Rewrite(IEnumerable<byte[]> records)
    {
        if (!_recovered)
            throw new InvalidOperationException($"call {nameof(Recover)}() before {nameof(Rewrite)}");
        var temporary = Path + ".compacting";
        long count = 0;
        using (var side = new WriteAheadLog(temporary))
        {
            side._file.SetLength(0);
            side.Recover();
            foreach (var record in records)
            {
                side.Append(record);
                count++;
            }
        }
        _file.Dispose();
        // .NET cannot fsync a directory, so after a power cut the rename itself may be lost; the old log it replaced
        // holds everything the new one does, but records appended after the rename would be lost with it.
        File.Move(temporary, Path, overwrite: true);
        _file = Open(Path);
        _file.Seek(0, SeekOrigin.End);
        RecordCount = count;
    }

    /// <summary>Makes every record appended so far durable (fsync).</summary>
    public void Flush() => _file.Flush(flushToDisk: true);

    public void Dispose() => _file.Dispose();

    private void WriteDurably(ReadOnlySpan<byte> bytes)
    {
        _file.Write(bytes);
        _file.Flush(flushToDisk: true);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.None);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace RetroAct.Model.Checkpoints;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the data section.</summary>
public sealed record SafeTensorEntry(string Name, string DType, ScalarType Type, long[] Shape, long Begin, long End);

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to dtype, shape and [begin, end) data offsets (plus optional string "__metadata__"), then raw
/// little-endian data. Every defect is reported as <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public sealed class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>The file's path, or the name given to an in-memory image (<see cref="Parse"/>): what errors name.</summary>
    public string Path { get; }
    public IReadOnlyDictionary<string, SafeTensorEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
    private readonly long dataStart;
    private readonly byte[]? image; // the buffer holding an in-memory image (Parse), from imageOffset; null: the file at Path
    private readonly int imageOffset;

    private SafeTensorsFile(string path, Dictionary<string, SafeTensorEntry> entries, Dictionary<string, string> metadata, long dataStart, byte[]? image,
                            int imageOffset)
    {
        Path = path;
        Entries = entries;
        Metadata = metadata;
        this.dataStart = dataStart;
        this.image = image;
        this.imageOffset = imageOffset;
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{path}: {problem}");

    /// <summary>Reads and checks the header (not the data): every tensor must lie inside the file with the right size.</summary>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        using var stream = File.OpenRead(path);
        return ReadHeader(path, stream, image: null, imageOffset: 0);
    }

    /// <summary>
    /// Checks the header of a safetensors image held in <paramref name="buffer"/>[<paramref name="offset"/>, +<paramref name="count"/>)
    /// (no copy: tensors are read from the buffer when asked for, so it must not change meanwhile); errors name <paramref name="name"/>.
    /// </summary>
    public static SafeTensorsFile Parse(byte[] buffer, int offset, int count, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        using var stream = new MemoryStream(buffer, offset, count, writable: false);
        return ReadHeader(name, stream, buffer, offset);
    }

    private static SafeTensorsFile ReadHeader(string path, Stream stream, byte[]? image, int imageOffset)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Bad(path, $"truncated: {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes)
            throw Bad(path, $"corrupt header length {headerLength} (not a safetensors file?)");
        if (headerLength > fileLength - 8)
            throw Bad(path, $"truncated: the header declares {headerLength} bytes but only {fileLength - 8} follow");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);

        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(headerBytes).TrimEnd(' ', '\0')) as JsonObject
                ?? throw Bad(path, "corrupt header: not a JSON object");
        }
        catch (JsonException e)
        {
            throw Bad(path, $"corrupt header: not valid JSON ({e.Message})");
        }

        long dataLength = fileLength - 8 - headerLength;
        var entries = new Dictionary<string, SafeTensorEntry>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject meta)
                    foreach (var (key, value) in meta) metadata[key] = value?.ToString() ?? "";
                continue;
            }
            entries[name] = ParseEntry(path, name, node, dataLength);
        }
        return new SafeTensorsFile(path, entries, metadata, 8 + headerLength, image, imageOffset);
    }

    private static SafeTensorEntry ParseEntry(string path, string name, JsonNode? node, long dataLength)
    {
        try
        {
            var obj = node as JsonObject ?? throw Bad(path, $"corrupt header: entry '{name}' is not an object");
            string dtype = obj["dtype"]?.GetValue<string>() ?? throw Bad(path, $"corrupt header: tensor '{name}' has no dtype");
            var shape = (obj["shape"] as JsonArray ?? throw Bad(path, $"corrupt header: tensor '{name}' has no shape"))
                .Select(d => d!.GetValue<long>()).ToArray();
            var offsets = (obj["data_offsets"] as JsonArray ?? throw Bad(path, $"corrupt header: tensor '{name}' has no data_offsets"))
                .Select(d => d!.GetValue<long>()).ToArray();
            if (!SafeTensorsDType.TryParse(dtype, out var type, out int size))
                throw Bad(path, $"wrong dtype: tensor '{name}' has dtype '{dtype}', which is not supported ({SafeTensorsDType.Supported})");
            if (shape.Any(d => d < 0)) throw Bad(path, $"corrupt header: tensor '{name}' has a negative dimension in [{string.Join(", ", shape)}]");
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw Bad(path, $"corrupt header: tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}]");
            long needed = shape.Aggregate(1L, (a, d) => a * d) * size;
            if (offsets[1] - offsets[0] != needed)
                throw Bad(path, $"tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]} bytes but {dtype} [{string.Join(", ", shape)}] needs {needed}");
            if (offsets[1] > dataLength)
                throw Bad(path, $"truncated: tensor '{name}' ends at data byte {offsets[1]} but the file holds only {dataLength} data bytes");
            return new SafeTensorEntry(name, dtype, type, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw Bad(path, $"corrupt header: tensor '{name}' is malformed ({e.Message})");
        }
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="target"/> (converted to its dtype and device), under
    /// no_grad. The temporaries live in a dispose scope until copy_ returns: one passed straight into the native call
    /// could be finalized mid-call (see RootedScalars; the actor runtime's weight loads crashed that way).
    /// </summary>
    public void CopyInto(string name, Tensor target)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        target.copy_(Read(name).to(target.dtype, target.device));
    }

    /// <summary>Reads one tensor onto the CPU in its stored dtype.</summary>
    public Tensor Read(string name)
    {
        if (!Entries.TryGetValue(name, out var entry)) throw Bad(Path, $"missing tensor '{name}'");
        if (image is not null) return Read(image, entry);
        using var stream = File.OpenRead(Path);
        return Read(stream, entry);
    }

    /// <summary>Reads every tensor onto the CPU in its stored dtype.</summary>
    public Dictionary<string, Tensor> ReadAll()
    {
        if (image is not null) return Entries.Values.ToDictionary(e => e.Name, e => Read(image, e));
        using var stream = File.OpenRead(Path);
        return Entries.Values.ToDictionary(e => e.Name, e => Read(stream, e));
    }

    // Straight from the in-memory image: no intermediate array (fresh memory costs a page fault per 4 KiB here).
    private Tensor Read(byte[] buffer, SafeTensorEntry entry)
    {
        var result = empty(entry.Shape, entry.Type);
        if (entry.End > entry.Begin) result.bytes = buffer.AsSpan(checked((int)(imageOffset + dataStart + entry.Begin)), (int)(entry.End - entry.Begin));
        return result;
    }

    private Tensor Read(Stream stream, SafeTensorEntry entry)
    {
        var bytes = new byte[entry.End - entry.Begin];
        stream.Position = dataStart + entry.Begin;
        stream.ReadExactly(bytes);
        var result = empty(entry.Shape, entry.Type);
        if (bytes.Length > 0) result.bytes = bytes;
        return result;
    }

    /// <summary>Writes tensors (any device, contiguous or not) in name order, with optional string metadata.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) WriteTo(stream, tensors, metadata);
        File.Move(temporary, path, overwrite: true); // a crash never leaves a half-written file under the real name
    }

    /// <summary>Writes the safetensors image of <paramref name="tensors"/> to <paramref name="stream"/> (as <see cref="Write"/> does to a file).</summary>
    public static void WriteTo(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        long offset = 0;
        foreach (var (name, t) in ordered)
        {
            long length = t.numel() * t.ElementSize;
            header[name] = new JsonObject
            {
                ["dtype"] = SafeTensorsDType.NameOf(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + length)),
            };
            offset += length;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (headerBytes.Length + 7) / 8 * 8; // the format recommends 8-byte aligned data
        stream.Write(BitConverter.GetBytes((long)padded));
        stream.Write(headerBytes);
        for (int i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, t) in ordered)
        {
            using var scope = NewDisposeScope(); // roots the intermediate tensors while the next call runs (see RootedScalars)
            var cpu = t.detach().cpu().contiguous();
            if (cpu.numel() > 0) stream.Write(cpu.bytes);
        }
    }
}

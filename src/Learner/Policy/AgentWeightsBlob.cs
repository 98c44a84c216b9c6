using RetroAct.Model.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Learner.Policy;

/// <summary>
/// The agent's weights as one byte blob, for the weight transport (chunked and checksummed by the actors layer):
/// each distinct model (planner/reflector, shared, or the adapters' base) and each role adapter as a safetensors
/// image, in a small length-prefixed container. Layout: magic "RAWB", format, entry count, then per entry its name,
/// byte length and safetensors bytes. Format 1 holds every entry; format 2 (<see cref="SerializeAdapters"/>) only the
/// role adapters ("adapter:planner", "adapter:reflector"): the RL versions of <see cref="RoleSharing.LoraAdapters"/>,
/// whose base does not change after the imitation stage. Reusing safetensors keeps one weight format for checkpoints
/// and transport.
/// </summary>
public static class AgentWeightsBlob
{
    private const int Magic = 0x42574152; // "RAWB" little-endian
    private const int FullFormat = 1, AdaptersFormat = 2;
    private const string AdapterPrefix = "adapter:";

    /// <summary>Serializes every distinct model of <paramref name="models"/> and, with LoRA role adapters, the adapters.</summary>
    public static byte[] Serialize(AgentModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Write(FullFormat, Entries(models, withBase: true));
    }

    /// <summary>Only the role adapters of <see cref="RoleSharing.LoraAdapters"/> models (a few hundred kB where the base is megabytes).</summary>
    public static byte[] SerializeAdapters(AgentModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Adapters is null) throw new InvalidOperationException($"{models.Sharing}: no adapters to serialize on their own");
        return Write(AdaptersFormat, Entries(models, withBase: false));
    }

    /// <summary>True when <paramref name="blob"/> carries the role adapters only (format 2).</summary>
    public static bool IsAdaptersOnly(byte[] blob) => blob.Length >= 8 && BitConverter.ToInt32(blob, 0) == Magic && BitConverter.ToInt32(blob, 4) == AdaptersFormat;

    /// <summary>
    /// Copies the weights in <paramref name="blob"/> into <paramref name="models"/> (same configuration and sharing).
    /// A blob for other models (names, shapes), or an adapters-only blob for models without adapters, is an
    /// <see cref="InvalidDataException"/> naming the difference.
    /// </summary>
    public static void LoadInto(AgentModels models, byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(blob);
        using var reader = new BinaryReader(new MemoryStream(blob, writable: false));
        try
        {
            if (reader.ReadInt32() != Magic) throw new InvalidDataException("not an agent weight blob (bad magic)");
            int format = reader.ReadInt32();
            if (format is not (FullFormat or AdaptersFormat))
                throw new InvalidDataException($"agent weight blob format {format}; this build reads formats {FullFormat} and {AdaptersFormat}");
            if (format == AdaptersFormat && models.Adapters is null)
                throw new InvalidDataException($"agent weight blob holds LoRA adapters only, but these agent models ({models.Sharing}) have no adapters");
            int count = reader.ReadInt32();
            var expected = Entries(models, withBase: format == FullFormat).ToDictionary(e => e.Name, e => e.Tensors, StringComparer.Ordinal);
            if (count != expected.Count)
                throw new InvalidDataException($"agent weight blob holds {count} entries; these agent models have {expected.Count} ({string.Join(", ", expected.Keys)})");
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long length = reader.ReadInt64();
                if (!expected.TryGetValue(name, out var targets))
                    throw new InvalidDataException($"agent weight blob holds '{name}'; expected {string.Join(", ", expected.Keys)}");
                long start = reader.BaseStream.Position;
                if (length < 0 || length > blob.Length - start)
                    throw new InvalidDataException($"agent weight blob: '{name}' claims {length} bytes but {blob.Length - start} follow");
                // Read in place: the entry's safetensors image is a slice of the blob, never copied or written to disk.
                Copy(SafeTensorsFile.Parse(blob, (int)start, (int)length, $"agent weight blob entry '{name}'"), targets, name);
                reader.BaseStream.Position = start + length;
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("agent weight blob is truncated", e);
        }
    }

    private static IEnumerable<(string Name, Dictionary<string, Tensor> Tensors)> Entries(AgentModels models, bool withBase)
    {
        if (withBase)
            foreach (var (name, model) in models.Distinct)
                yield return (name, model.state_dict());
        foreach (var (name, adapter) in models.RoleAdapters)
            yield return (AdapterPrefix + name, adapter.NamedTensors());
    }

    private static byte[] Write(int format, IEnumerable<(string Name, Dictionary<string, Tensor> Tensors)> entries)
    {
        // Each entry's safetensors image is built in memory (sized up front: a growing stream would re-allocate, and
        // fresh memory costs a page fault per 4 KiB here), then copied once into a blob of the exact size.
        var images = entries.Select(e =>
        {
            var image = new MemoryStream(checked((int)(e.Tensors.Values.Sum(t => t.numel() * t.ElementSize) + 64 * 1024)));
            SafeTensorsFile.WriteTo(image, e.Tensors);
            return (e.Name, Image: image);
        }).ToList();
        long total = 12 + images.Sum(e => NameBytes(e.Name) + 8 + e.Image.Length);
        var blob = GC.AllocateUninitializedArray<byte>(checked((int)total));
        using var writer = new BinaryWriter(new MemoryStream(blob));
        writer.Write(Magic);
        writer.Write(format);
        writer.Write(images.Count);
        foreach (var (name, image) in images)
        {
            writer.Write(name);
            writer.Write(image.Length);
            writer.Write(image.GetBuffer(), 0, (int)image.Length);
            image.Dispose();
        }
        writer.Flush();
        if (writer.BaseStream.Position != blob.Length) throw new InvalidOperationException($"agent weight blob: wrote {writer.BaseStream.Position} of {blob.Length} bytes");
        return blob;
    }

    /// <summary>What <see cref="BinaryWriter.Write(string)"/> writes for <paramref name="name"/>: a 7-bit-encoded length, then UTF-8.</summary>
    private static long NameBytes(string name)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        int prefix = 1;
        for (int rest = bytes >> 7; rest > 0; rest >>= 7) prefix++;
        return prefix + bytes;
    }

    // Every target tensor must be in the file with its shape, and the file must hold nothing else.
    private static void Copy(SafeTensorsFile file, Dictionary<string, Tensor> targets, string entry)
    {
        var missing = targets.Keys.Where(k => !file.Entries.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"agent weight blob: '{entry}' lacks tensor '{missing[0]}'{(missing.Count > 1 ? $" and {missing.Count - 1} more" : "")}");
        var unexpected = file.Entries.Keys.FirstOrDefault(k => !targets.ContainsKey(k));
        if (unexpected is not null) throw new InvalidDataException($"agent weight blob: '{entry}' holds unexpected tensor '{unexpected}'");
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in targets)
        {
            var info = file.Entries[name];
            if (!info.Shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"agent weight blob: '{entry}' tensor '{name}' is [{string.Join(", ", info.Shape)}] but the model needs [{string.Join(", ", target.shape)}]");
            file.CopyInto(name, target);
        }
    }

    /// <summary>A separate copy of <paramref name="source"/> (same configuration, sharing, weights and version) for another owner.</summary>
    public static AgentModels Replicate(AgentModels source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = AgentModels.Create(source.Planner.Config, source.Sharing, seed: 0, source.Adapters?[AgentModels.PlannerAdapter].Config);
        try
        {
            LoadInto(copy, Serialize(source));
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        copy.Version = source.Version;
        return copy;
    }
}

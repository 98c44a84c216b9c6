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
                if (length < 0 || length > blob.Length) throw new InvalidDataException($"agent weight blob: '{name}' claims {length} bytes");
                byte[] tensors = reader.ReadBytes((int)length);
                WithTemporaryFile(path =>
                {
                    File.WriteAllBytes(path, tensors);
                    Copy(SafeTensorsFile.Open(path), targets, name);
                    return 0;
                });
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
        var list = entries.ToList();
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(Magic);
        writer.Write(format);
        writer.Write(list.Count);
        foreach (var (name, tensors) in list)
        {
            byte[] bytes = WithTemporaryFile(path =>
            {
                SafeTensorsFile.Write(path, tensors);
                return File.ReadAllBytes(path);
            });
            writer.Write(name);
            writer.Write(bytes.LongLength);
            writer.Write(bytes);
        }
        writer.Flush();
        return output.ToArray();
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

    // The safetensors reader and writer work on files; the file lives only for the call.
    private static T WithTemporaryFile<T>(Func<string, T> use)
    {
        string path = Path.Combine(Path.GetTempPath(), $"retroact-weights-{Guid.NewGuid():N}.safetensors");
        try
        {
            return use(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

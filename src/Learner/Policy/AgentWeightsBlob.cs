using RetroAct.Model.Checkpoints;

namespace RetroAct.Learner.Policy;

/// <summary>
/// The agent's weights as one byte blob, for the weight transport (chunked and checksummed by the actors layer):
/// each distinct model (planner/reflector, or shared) as a safetensors image, in a small length-prefixed container.
/// Layout: magic "RAWB", format 1, model count, then per model its name, byte length and safetensors bytes.
/// Reusing safetensors keeps one weight format for checkpoints and transport.
/// </summary>
public static class AgentWeightsBlob
{
    private const int Magic = 0x42574152; // "RAWB" little-endian
    private const int FormatVersion = 1;

    /// <summary>Serializes every distinct model of <paramref name="models"/>.</summary>
    public static byte[] Serialize(AgentModels models)
    {
        ArgumentNullException.ThrowIfNull(models);
        using var output = new MemoryStream();
        using var writer = new BinaryWriter(output);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(models.Distinct.Count);
        foreach (var (name, model) in models.Distinct)
        {
            byte[] tensors = WithTemporaryFile(path =>
            {
                SafeTensorsFile.Write(path, model.state_dict());
                return File.ReadAllBytes(path);
            });
            writer.Write(name);
            writer.Write(tensors.LongLength);
            writer.Write(tensors);
        }
        writer.Flush();
        return output.ToArray();
    }

    /// <summary>
    /// Copies the weights in <paramref name="blob"/> into <paramref name="models"/> (same configuration and sharing).
    /// A blob for other models (names, shapes) is an <see cref="InvalidDataException"/> naming the difference.
    /// </summary>
    public static void LoadInto(AgentModels models, byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(blob);
        using var reader = new BinaryReader(new MemoryStream(blob, writable: false));
        try
        {
            if (reader.ReadInt32() != Magic) throw new InvalidDataException("not an agent weight blob (bad magic)");
            int version = reader.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"agent weight blob format {version}; this build reads format {FormatVersion}");
            int count = reader.ReadInt32();
            var expected = models.Distinct.ToDictionary(d => d.Name, d => d.Model, StringComparer.Ordinal);
            if (count != expected.Count)
                throw new InvalidDataException($"agent weight blob holds {count} models; these agent models have {expected.Count} ({string.Join(", ", expected.Keys)})");
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long length = reader.ReadInt64();
                if (!expected.TryGetValue(name, out var model))
                    throw new InvalidDataException($"agent weight blob holds model '{name}'; expected {string.Join(", ", expected.Keys)}");
                if (length < 0 || length > blob.Length) throw new InvalidDataException($"agent weight blob: model '{name}' claims {length} bytes");
                byte[] tensors = reader.ReadBytes((int)length);
                WithTemporaryFile(path =>
                {
                    File.WriteAllBytes(path, tensors);
                    WeightLoader.Load(model, [SafeTensorsFile.Open(path)]);
                    return 0;
                });
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("agent weight blob is truncated", e);
        }
    }

    /// <summary>A separate copy of <paramref name="source"/> (same configuration, sharing, weights and version) for another owner.</summary>
    public static AgentModels Replicate(AgentModels source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = AgentModels.Create(source.Planner.Config, source.Sharing, seed: 0);
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

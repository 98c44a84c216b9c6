using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace RetroAct.Model.Checkpoints;

/// <summary>
/// Copies safetensors weights with HF names into a model, checking that every expected tensor is present once
/// with the expected shape and a floating dtype. Errors name the file, the tensor and both shapes.
/// </summary>
public static class WeightLoader
{
    /// <summary>Finds the tensor files of a HF folder: model.safetensors, or the shards of model.safetensors.index.json.</summary>
    public static IReadOnlyList<SafeTensorsFile> OpenFolder(string folder)
    {
        string single = Path.Combine(folder, "model.safetensors"), index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(single)) return [SafeTensorsFile.Open(single)];
        if (!File.Exists(index))
            throw new FileNotFoundException($"{folder}: neither model.safetensors nor model.safetensors.index.json exists", single);
        JsonObject weightMap;
        try
        {
            weightMap = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject
                ?? throw new InvalidDataException($"{index}: no weight_map object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON ({e.Message})", e);
        }
        return weightMap.Select(kv => kv.Value!.GetValue<string>()).Distinct()
            .Select(shard => SafeTensorsFile.Open(Path.Combine(folder, shard))).ToArray();
    }

    /// <summary>Loads every parameter of <paramref name="model"/> from <paramref name="files"/>.</summary>
    /// <param name="requiredDType">When set (our own checkpoints), every tensor must be stored in this dtype.</param>
    public static void Load(LlamaForCausalLM model, IReadOnlyList<SafeTensorsFile> files, ScalarType? requiredDType = null)
    {
        var expected = model.state_dict();
        var seen = new Dictionary<string, string>();
        using var noGrad = no_grad();
        foreach (var file in files)
        {
            foreach (var entry in file.Entries.Values)
            {
                if (!expected.TryGetValue(entry.Name, out var target))
                {
                    if (IsIgnorable(entry.Name, model.Config)) continue;
                    throw new InvalidDataException($"{file.Path}: unexpected tensor '{entry.Name}' (not a parameter of a {model.Config.ModelType} model with this config)");
                }
                if (seen.TryGetValue(entry.Name, out var other))
                    throw new InvalidDataException($"{file.Path}: tensor '{entry.Name}' is also in {other}");
                seen[entry.Name] = file.Path;
                if (!entry.Shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"{file.Path}: wrong shape: tensor '{entry.Name}' is [{string.Join(", ", entry.Shape)}] in the file but the model expects [{string.Join(", ", target.shape)}]");
                if (!SafeTensorsDType.IsFloating(entry.Type))
                    throw new InvalidDataException($"{file.Path}: wrong dtype: tensor '{entry.Name}' is {entry.DType}; a weight must be F64, F32, F16 or BF16");
                if (requiredDType is { } required && entry.Type != required)
                    throw new InvalidDataException($"{file.Path}: wrong dtype: tensor '{entry.Name}' is {entry.DType} but the checkpoint records {SafeTensorsDType.NameOf(required)}");
                file.CopyInto(entry.Name, target);
            }
        }
        var missing = expected.Keys.Where(k => !seen.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{string.Join(", ", files.Select(f => f.Path))}: missing tensor{(missing.Length > 1 ? "s" : "")} {string.Join(", ", missing.Take(5).Select(m => $"'{m}'"))}{(missing.Length > 5 ? $" and {missing.Length - 5} more" : "")}");
    }

    // HF files may carry rotary caches, and tied models sometimes still store lm_head.weight (a copy of the embedding).
    private static bool IsIgnorable(string name, LlamaConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal) || (config.TieWordEmbeddings && name == "lm_head.weight");

    /// <summary>Loads a Hugging Face Llama/Qwen2 folder (config.json + safetensors, sharded or not).</summary>
    public static LlamaForCausalLM LoadHuggingFace(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var config = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        var files = OpenFolder(folder);
        var model = new LlamaForCausalLM(config, device, dtype);
        try
        {
            Load(model, files);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}

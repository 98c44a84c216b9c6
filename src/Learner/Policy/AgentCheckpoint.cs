using System.Text.Json;
using RetroAct.Model;
using RetroAct.Model.Checkpoints;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;

namespace RetroAct.Learner.Policy;

/// <summary>How the agent that a checkpoint holds was set up; evaluation reproduces the same prompts and budgets.</summary>
public sealed record AgentCheckpointInfo(
    string Env, string Stage, long PolicyVersion, RoleSharing Sharing, bool UseReflector,
    int MemorySize, int HistoryWindow, int MaxTurnsPerTrial, int PlannerMaxTokens, int ReflectorMaxTokens);

/// <summary>
/// A trained agent on disk: agent.json (set-up), tokenizer.json (compact tokenizer), and one model checkpoint folder
/// per distinct model (planner/ and reflector/, shared/, or base/), each with its SHA-256 manifest; with LoRA role
/// adapters also adapters/planner.safetensors and adapters/reflector.safetensors (rank, alpha and targets in their headers).
/// </summary>
public static class AgentCheckpoint
{
    public const string InfoFile = "agent.json";
    public const string TokenizerFile = "tokenizer.json";
    public const string AdaptersFolder = "adapters";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Save(string folder, AgentModels models, CompactTokenizer tokenizer, AgentCheckpointInfo info)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, model) in models.Distinct)
            ModelCheckpoint.Save(Path.Combine(folder, name), model, new Dictionary<string, string>
            {
                ["stage"] = info.Stage,
                ["policy_version"] = info.PolicyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        foreach (var (name, _) in models.RoleAdapters)
        {
            Directory.CreateDirectory(Path.Combine(folder, AdaptersFolder));
            models.Adapters!.Save(name, AdapterPath(folder, name));
        }
        CompactTokenizerFile.Save(tokenizer, Path.Combine(folder, TokenizerFile));
        File.WriteAllText(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(info, Json));
    }

    /// <summary>Loads a checkpoint; a missing or corrupted part is an error naming the file.</summary>
    public static (AgentModels Models, ITokenizer Tokenizer, AgentCheckpointInfo Info) Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"checkpoint folder '{folder}' does not exist");
        string infoPath = Path.Combine(folder, InfoFile);
        if (!File.Exists(infoPath)) throw new FileNotFoundException($"{infoPath}: not an agent checkpoint (agent.json missing)", infoPath);
        AgentCheckpointInfo info;
        try
        {
            info = JsonSerializer.Deserialize<AgentCheckpointInfo>(File.ReadAllText(infoPath), Json)
                   ?? throw new InvalidDataException($"{infoPath}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{infoPath}: not a valid agent description ({e.Message})", e);
        }
        ITokenizer tokenizer = CompactTokenizerFile.Load(Path.Combine(folder, TokenizerFile));
        LlamaForCausalLM Model(string name) => ModelCheckpoint.Load(Path.Combine(folder, name), TorchDevice.Default).Model;
        AgentModels models;
        if (info.Sharing == RoleSharing.SharedModel)
        {
            var shared = Model("shared");
            models = new AgentModels(shared, shared, RoleSharing.SharedModel);
        }
        else if (info.Sharing == RoleSharing.LoraAdapters)
        {
            var baseModel = Model("base");
            var adapters = new Model.Lora.LoraAdapters(baseModel);
            try
            {
                foreach (string name in new[] { AgentModels.PlannerAdapter, AgentModels.ReflectorAdapter })
                {
                    string path = AdapterPath(folder, name);
                    if (!File.Exists(path)) throw new FileNotFoundException($"{path}: the {name} adapter of this checkpoint is missing", path);
                    adapters.Load(name, path);
                }
            }
            catch
            {
                adapters.Dispose();
                baseModel.Dispose();
                throw;
            }
            models = new AgentModels(baseModel, baseModel, RoleSharing.LoraAdapters, adapters);
        }
        else
        {
            models = new AgentModels(Model("planner"), Model("reflector"), RoleSharing.TwoModels);
        }
        models.Version = info.PolicyVersion;
        if (models.Planner.Config.VocabSize < tokenizer.VocabSize)
            throw new InvalidDataException($"{folder}: the tokenizer has {tokenizer.VocabSize} ids but the model only {models.Planner.Config.VocabSize} embeddings");
        return (models, tokenizer, info);
    }

    private static string AdapterPath(string folder, string role) => Path.Combine(folder, AdaptersFolder, role + ".safetensors");
}

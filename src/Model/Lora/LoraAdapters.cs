using System.Globalization;
using RetroAct.Model.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RetroAct.Model.Lora;

/// <summary>
/// Several named LoRA adapters (e.g. "planner", "reflector") on one frozen base model, one active at a time.
/// Adding an adapter freezes the base; only adapter parameters then require gradients (disposing the adapters
/// does not unfreeze it: set requires_grad again to fine-tune the base itself).
/// </summary>
public sealed class LoraAdapters(LlamaForCausalLM model) : IDisposable
{
    private readonly Dictionary<string, LoraAdapter> adapters = new(StringComparer.Ordinal);

    /// <summary>The adapter whose deltas the model currently applies; null = the base model.</summary>
    public string? Active { get; private set; }
    /// <summary>The adapter currently folded into the base weights, if any.</summary>
    public string? Merged { get; private set; }
    public IReadOnlyCollection<string> Names => adapters.Keys;
    public LoraAdapter this[string name] => adapters.TryGetValue(name, out var a) ? a : throw new KeyNotFoundException($"no LoRA adapter named '{name}'");

    /// <summary>Creates a new adapter (B = 0, so the model's output is unchanged until it is trained).</summary>
    public LoraAdapter Add(string name, LoraConfig? config = null, long seed = 0)
    {
        config ??= new LoraConfig();
        config.Validate();
        if (adapters.ContainsKey(name)) throw new ArgumentException($"a LoRA adapter named '{name}' already exists");
        var targets = model.named_modules()
            .Where(m => m.module is AdaptableLinear && config.TargetModules.Contains(m.name.Split('.')[^1]))
            .Select(m => (m.name, (AdaptableLinear)m.module));
        var adapter = new LoraAdapter(name, config, targets, seed);
        foreach (var p in model.parameters()) p.requires_grad = false;
        adapters[name] = adapter;
        return adapter;
    }

    /// <summary>Makes <paramref name="name"/> the active adapter (null: the plain base model).</summary>
    public void Activate(string? name)
    {
        if (Merged is not null && name != Merged)
            throw new InvalidOperationException($"adapter '{Merged}' is merged into the base weights; unmerge it before activating '{name ?? "(base)"}'");
        var chosen = name is null ? null : this[name];
        foreach (var adapter in adapters.Values)
            foreach (var delta in adapter.Deltas.Values)
                delta.Target.ActiveDelta = null;
        if (chosen is not null && Merged is null)
            foreach (var delta in chosen.Deltas.Values)
                delta.Target.ActiveDelta = delta;
        Active = name;
    }

    /// <summary>Activates an adapter for a scope (one generation or scoring call); disposing restores the previous one.</summary>
    public IDisposable Use(string? name)
    {
        string? previous = Active;
        Activate(name);
        return new Restore(() => Activate(previous));
    }

    /// <summary>Parameters of one adapter, for its optimiser.</summary>
    public IEnumerable<Parameter> Parameters(string name) => this[name].parameters();

    /// <summary>Folds the active adapter into the base weights (W += scaling·B·A) for faster inference.</summary>
    public void Merge()
    {
        if (Merged is not null) throw new InvalidOperationException($"adapter '{Merged}' is already merged");
        var adapter = this[Active ?? throw new InvalidOperationException("no active adapter to merge")];
        using var noGrad = no_grad();
        foreach (var delta in adapter.Deltas.Values)
        {
            using var scope = NewDisposeScope(); // roots the delta while add_ runs (see RootedScalars)
            delta.Target.weight.add_(delta.DeltaWeight(), RootedScalars.One); // TorchSharp's add_(b) would make a per-call alpha
            delta.Target.ActiveDelta = null;
        }
        Merged = adapter.Name;
    }

    /// <summary>Subtracts the merged adapter from the base weights again and applies it as a delta.</summary>
    public void Unmerge()
    {
        var adapter = this[Merged ?? throw new InvalidOperationException("no adapter is merged")];
        using var noGrad = no_grad();
        foreach (var delta in adapter.Deltas.Values)
        {
            using var scope = NewDisposeScope(); // roots the delta while sub_ runs (see RootedScalars)
            delta.Target.weight.sub_(delta.DeltaWeight());
            delta.Target.ActiveDelta = delta;
        }
        Merged = null;
    }

    /// <summary>Writes one adapter on its own: safetensors with its configuration in the header metadata.</summary>
    public void Save(string name, string path)
    {
        var adapter = this[name];
        SafeTensorsFile.Write(path, adapter.NamedTensors(), new Dictionary<string, string>
        {
            ["format"] = "retroact-lora",
            ["name"] = name,
            ["rank"] = adapter.Config.Rank.ToString(CultureInfo.InvariantCulture),
            ["alpha"] = adapter.Config.Alpha.ToString("R", CultureInfo.InvariantCulture),
            ["dropout"] = adapter.Config.Dropout.ToString("R", CultureInfo.InvariantCulture),
            ["target_modules"] = string.Join(",", adapter.Config.TargetModules),
        });
    }

    /// <summary>Loads an adapter file as <paramref name="name"/> (replacing nothing: the name must be new).</summary>
    public LoraAdapter Load(string name, string path)
    {
        var file = SafeTensorsFile.Open(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{path}: not a LoRA adapter file (header metadata lacks '{key}')");
        if (Meta("format") != "retroact-lora") throw new InvalidDataException($"{path}: format '{Meta("format")}' is not retroact-lora");
        var config = new LoraConfig
        {
            Rank = int.Parse(Meta("rank"), CultureInfo.InvariantCulture),
            Alpha = double.Parse(Meta("alpha"), CultureInfo.InvariantCulture),
            Dropout = double.Parse(Meta("dropout"), CultureInfo.InvariantCulture),
            TargetModules = Meta("target_modules").Split(','),
        };
        var adapter = Add(name, config);
        try
        {
            var expected = adapter.NamedTensors();
            foreach (var (tensorName, target) in expected)
            {
                if (!file.Entries.TryGetValue(tensorName, out var entry))
                    throw new InvalidDataException($"{path}: missing tensor '{tensorName}'");
                if (!entry.Shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"{path}: wrong shape: tensor '{tensorName}' is [{string.Join(", ", entry.Shape)}] in the file but this base model needs [{string.Join(", ", target.shape)}]");
                file.CopyInto(tensorName, target);
            }
            var unexpected = file.Entries.Keys.Except(expected.Keys).FirstOrDefault();
            if (unexpected is not null) throw new InvalidDataException($"{path}: unexpected tensor '{unexpected}' (no such adapted layer in this base model)");
        }
        catch
        {
            Remove(name);
            throw;
        }
        return adapter;
    }

    /// <summary>Drops an adapter (it must be neither active nor merged).</summary>
    public void Remove(string name)
    {
        if (Active == name || Merged == name) throw new InvalidOperationException($"adapter '{name}' is active or merged");
        if (adapters.Remove(name, out var adapter)) adapter.Dispose();
    }

    public void Dispose()
    {
        if (Merged is not null) Unmerge();
        Activate(null);
        foreach (var adapter in adapters.Values) adapter.Dispose();
        adapters.Clear();
    }

    private sealed class Restore(Action action) : IDisposable
    {
        private Action? pending = action;
        public void Dispose()
        {
            pending?.Invoke();
            pending = null;
        }
    }
}

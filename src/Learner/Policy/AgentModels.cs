using RetroAct.Model;
using RetroAct.Model.Lora;
using RetroAct.Rollout;
using TorchSharp.Modules;

namespace RetroAct.Learner.Policy;

/// <summary>How the planner and the reflector map onto weights (ALGORITHMS.md §2).</summary>
public enum RoleSharing
{
    /// <summary>Two separate models (the reference setting: separate weights per role).</summary>
    TwoModels,
    /// <summary>One model plays both roles (the paper's ablation).</summary>
    SharedModel,
    /// <summary>
    /// Two LoRA adapters ("planner", "reflector") on one base model. The imitation stage trains the base and both
    /// adapters (the models start from scratch, so the base has to learn the language); the RL stage freezes the
    /// base and trains the adapters only (<see cref="AgentModels.FreezeBase"/>), so each RL version is a tiny
    /// adapters-only weight update.
    /// </summary>
    LoraAdapters,
}

/// <summary>
/// The weights of the two roles and the policy version they represent. The version increases with every learner
/// update; every generated token is stamped with it so stale data can be measured and dropped. Forward passes of a
/// role run inside <see cref="Use"/> (it activates the role's adapter when the roles are adapters on one base).
/// </summary>
public sealed class AgentModels : IDisposable
{
    /// <summary>The adapter names of <see cref="RoleSharing.LoraAdapters"/>.</summary>
    public const string PlannerAdapter = "planner", ReflectorAdapter = "reflector";

    public LlamaForCausalLM Planner { get; }
    public LlamaForCausalLM Reflector { get; }
    public RoleSharing Sharing { get; }
    public long Version { get; set; }

    /// <summary>The roles' adapters on the one base model (<see cref="RoleSharing.LoraAdapters"/> only).</summary>
    public LoraAdapters? Adapters { get; }

    /// <summary>True once the base is frozen: only the adapters train, and weight versions carry the adapters only.</summary>
    public bool BaseFrozen { get; private set; }

    public AgentModels(LlamaForCausalLM planner, LlamaForCausalLM reflector, RoleSharing sharing, LoraAdapters? adapters = null)
    {
        if (sharing != RoleSharing.TwoModels && !ReferenceEquals(planner, reflector))
            throw new ArgumentException($"{sharing}: both roles must use the same model instance");
        if ((sharing == RoleSharing.LoraAdapters) != adapters is not null)
            throw new ArgumentException(sharing == RoleSharing.LoraAdapters ? "LoraAdapters needs the roles' adapters" : $"{sharing} has no adapters");
        if (adapters is not null && !(adapters.Names.Contains(PlannerAdapter) && adapters.Names.Contains(ReflectorAdapter)))
            throw new ArgumentException($"the adapters must be named '{PlannerAdapter}' and '{ReflectorAdapter}' (got {string.Join(", ", adapters.Names)})");
        (Planner, Reflector, Sharing, Adapters) = (planner, reflector, sharing, adapters);
        // Adding an adapter freezes its base (LoraAdapters.Add); here the base trains until FreezeBase says otherwise.
        if (adapters is not null) Unfreeze(planner);
    }

    /// <summary>
    /// New models from a configuration, initialised from <paramref name="seed"/> (the reflector, or the reflector's
    /// adapter, from seed + 1). <paramref name="lora"/> configures the adapters of <see cref="RoleSharing.LoraAdapters"/>.
    /// </summary>
    public static AgentModels Create(LlamaConfig config, RoleSharing sharing, long seed, LoraConfig? lora = null)
    {
        var planner = new LlamaForCausalLM(config, TorchDevice.Default, seed: seed);
        if (sharing == RoleSharing.TwoModels) return new AgentModels(planner, new LlamaForCausalLM(config, TorchDevice.Default, seed: seed + 1), sharing);
        if (sharing == RoleSharing.SharedModel) return new AgentModels(planner, planner, sharing);
        var adapters = new LoraAdapters(planner);
        adapters.Add(PlannerAdapter, lora, seed);
        adapters.Add(ReflectorAdapter, lora, seed + 1);
        return new AgentModels(planner, planner, sharing, adapters);
    }

    public LlamaForCausalLM For(AgentRole role) => role == AgentRole.Planner ? Planner : Reflector;

    /// <summary>
    /// Makes <paramref name="role"/>'s weights the ones <see cref="For"/> computes with until disposed: activates the
    /// role's adapter (and restores the previous one after); nothing to do for two models or a shared one.
    /// </summary>
    public IDisposable Use(AgentRole role) =>
        Adapters?.Use(role == AgentRole.Planner ? PlannerAdapter : ReflectorAdapter) ?? NothingToRestore.Instance;

    /// <summary>The distinct models (one when shared or adapted), for optimisers and checkpoints.</summary>
    public IReadOnlyList<(string Name, LlamaForCausalLM Model)> Distinct => Sharing switch
    {
        RoleSharing.TwoModels => [("planner", Planner), ("reflector", Reflector)],
        RoleSharing.LoraAdapters => [("base", Planner)],
        _ => [("shared", Planner)],
    };

    /// <summary>The adapters by role name (none unless <see cref="RoleSharing.LoraAdapters"/>).</summary>
    public IReadOnlyList<(string Name, LoraAdapter Adapter)> RoleAdapters =>
        Adapters is null ? [] : [(PlannerAdapter, Adapters[PlannerAdapter]), (ReflectorAdapter, Adapters[ReflectorAdapter])];

    public IEnumerable<Parameter> TrainableParameters() =>
        Distinct.SelectMany(d => d.Model.parameters()).Concat(RoleAdapters.SelectMany(a => a.Adapter.parameters())).Where(p => p.requires_grad);

    /// <summary>Training or evaluation mode for every module, adapters included (dropout).</summary>
    public void SetTraining(bool training)
    {
        foreach (var (_, model) in Distinct) model.train(training);
        foreach (var (_, adapter) in RoleAdapters) adapter.train(training);
    }

    /// <summary>
    /// <see cref="RoleSharing.LoraAdapters"/>: freezes the base model for the RL stage, so only the adapters train
    /// and each new version is an adapters-only update. Without adapters an error: there is nothing else to train.
    /// </summary>
    public void FreezeBase()
    {
        if (Adapters is null) throw new InvalidOperationException($"{Sharing}: no adapters to train with the base frozen");
        foreach (var p in Planner.parameters()) p.requires_grad = false;
        BaseFrozen = true;
    }

    public void Dispose()
    {
        Adapters?.Dispose();
        Planner.Dispose();
        if (!ReferenceEquals(Planner, Reflector)) Reflector.Dispose();
    }

    private static void Unfreeze(LlamaForCausalLM model)
    {
        foreach (var p in model.parameters()) p.requires_grad = true;
    }

    private sealed class NothingToRestore : IDisposable
    {
        public static readonly NothingToRestore Instance = new();

        public void Dispose()
        {
        }
    }
}

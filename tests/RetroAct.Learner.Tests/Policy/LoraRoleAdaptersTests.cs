using RetroAct.Core.Environments;
using RetroAct.Learner.Losses;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Training;
using RetroAct.Model;
using RetroAct.Model.Lora;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;
using RetroAct.Rollout.Imitation;
using RetroAct.Rollout.Prompts;
using static TorchSharp.torch;

namespace RetroAct.Learner.Tests.Policy;

/// <summary>Planner and reflector as two LoRA adapters on one base model (RoleSharing.LoraAdapters).</summary>
public sealed class LoraRoleAdaptersTests : IDisposable
{
    private static readonly ITokenizer Tokenizer = DoorWorld.Tokenizer;

    private static readonly LlamaConfig Config =
        LlamaConfig.Preset("1m") with { VocabSize = Tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 160, NumHiddenLayers = 2, MaxPositionEmbeddings = 256 };

    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-lora-roles-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Adapters whose B is no longer zero, so each role's output differs from the base and from the other role.</summary>
    private static AgentModels Perturbed(long seed)
    {
        var models = AgentModels.Create(Config, RoleSharing.LoraAdapters, seed, new LoraConfig { Rank = 4, Alpha = 8 });
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        foreach (var (_, adapter) in models.RoleAdapters)
            foreach (var delta in adapter.Deltas.Values)
                delta.B.copy_(randn(delta.B.shape, generator: generator) * 0.5);
        return models;
    }

    private static float[] LastLogits(AgentModels models, AgentRole role, long[] ids)
    {
        using var active = models.Use(role);
        using var noGrad = no_grad();
        using var input = tensor(ids).unsqueeze(0);
        var model = models.For(role);
        model.eval();
        using var logits = model.Forward(input, null, null, lastPositionOnly: true);
        return logits.data<float>().ToArray();
    }

    private static readonly long[] Prompt = [1, 5, 9, 12, 3];

    [Fact]
    public void Each_role_computes_with_its_own_adapter_and_the_imitation_stage_trains_base_and_adapters()
    {
        using var models = Perturbed(seed: 3);
        Assert.Same(models.Planner, models.Reflector);
        float[] planner = LastLogits(models, AgentRole.Planner, Prompt), reflector = LastLogits(models, AgentRole.Reflector, Prompt);
        float[] plain = models.Planner.Forward(tensor(Prompt).unsqueeze(0), null, null, lastPositionOnly: true).data<float>().ToArray();
        Assert.NotEqual(planner, reflector);
        Assert.NotEqual(planner, plain);
        Assert.Null(models.Adapters!.Active); // Use restores the base afterwards

        int baseCount = models.Planner.parameters().Count();
        int adapterCount = models.RoleAdapters.Sum(a => a.Adapter.parameters().Count());
        Assert.Equal(baseCount + adapterCount, models.TrainableParameters().Count());
        models.FreezeBase();
        Assert.True(models.BaseFrozen);
        Assert.Equal(adapterCount, models.TrainableParameters().Count());
    }

    [Fact]
    public void Generation_and_the_learners_scoring_use_the_same_adapter_so_on_policy_weights_are_one()
    {
        using var models = Perturbed(seed: 4);
        var sampling = new SamplingSettings(Temperature: 1.0, PlannerMaxTokens: 8, ReflectorMaxTokens: 12, Seed: 5);
        var rl = DoorWorld.RlSamples(models, sampling);
        Assert.Contains(rl, s => s.Role == AgentRole.Reflector);

        models.FreezeBase();
        var baseBefore = models.Planner.parameters().Select(p => p.clone()).ToList();
        var adapterBefore = models.RoleAdapters.SelectMany(a => a.Adapter.parameters()).Select(p => p.clone()).ToList();
        using var trainer = new JointTrainer(models, new OptimizerSettings(LearningRate: 1e-2, WarmupSteps: 0), totalSteps: 1);
        var stats = trainer.RetroActStep(rl, [], DoorWorld.AllSamples).Values;

        // A role scored with the other role's adapter (or with none) would put these ratios far from 1.
        Assert.Equal(1.0, stats["w_mean_planner"], 3);
        Assert.Equal(1.0, stats["w_mean_reflector"], 3);
        // The RL step moved the adapters and left the frozen base exactly as it was.
        Assert.All(models.Planner.parameters().Zip(baseBefore), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
        Assert.Contains(models.RoleAdapters.SelectMany(a => a.Adapter.parameters()).Zip(adapterBefore), p => !p.First.allclose(p.Second, rtol: 0, atol: 0));
    }

    [Fact]
    public void An_adapters_only_blob_is_small_and_brings_a_replica_with_the_same_base_to_the_same_outputs()
    {
        using var source = Perturbed(seed: 5);
        using var replica = AgentWeightsBlob.Replicate(source); // what a policy server starts from: base and adapters
        using (no_grad())
            foreach (var (_, adapter) in source.RoleAdapters)
                foreach (var delta in adapter.Deltas.Values)
                    delta.B.add_(1.0); // an RL update: the adapters move, the base does not
        Assert.NotEqual(LastLogits(source, AgentRole.Planner, Prompt), LastLogits(replica, AgentRole.Planner, Prompt));

        byte[] full = AgentWeightsBlob.Serialize(source), adapters = AgentWeightsBlob.SerializeAdapters(source);
        Assert.True(AgentWeightsBlob.IsAdaptersOnly(adapters));
        Assert.False(AgentWeightsBlob.IsAdaptersOnly(full));
        Assert.True(adapters.Length * 10 < full.Length, $"adapters {adapters.Length:N0} B vs full {full.Length:N0} B");

        AgentWeightsBlob.LoadInto(replica, adapters);
        foreach (var role in new[] { AgentRole.Planner, AgentRole.Reflector })
            Assert.Equal(LastLogits(source, role, Prompt), LastLogits(replica, role, Prompt));
    }

    [Fact]
    public void An_adapters_only_blob_for_models_without_adapters_is_refused_by_name()
    {
        using var source = Perturbed(seed: 6);
        using var twoModels = AgentModels.Create(Config, RoleSharing.TwoModels, seed: 6);
        var error = Assert.Throws<InvalidDataException>(() => AgentWeightsBlob.LoadInto(twoModels, AgentWeightsBlob.SerializeAdapters(source)));
        Assert.Contains("LoRA adapters only", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => AgentWeightsBlob.SerializeAdapters(twoModels));
        using var otherRank = AgentModels.Create(Config, RoleSharing.LoraAdapters, seed: 6, new LoraConfig { Rank = 2, Alpha = 4 });
        var shape = Assert.Throws<InvalidDataException>(() => AgentWeightsBlob.LoadInto(otherRank, AgentWeightsBlob.SerializeAdapters(source)));
        Assert.Contains("lora_A.weight' is [4, 64] but the model needs [2, 64]", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_keeps_the_base_and_both_adapters()
    {
        using var source = Perturbed(seed: 7);
        source.Version = 3;
        var tokenizer = (CompactTokenizer)Tokenizer;
        var info = new AgentCheckpointInfo("household", "rl-3", 3, RoleSharing.LoraAdapters, true, 3, 0, 20, 24, 96);
        string folder = Path.Combine(_dir, "rl-3");
        AgentCheckpoint.Save(folder, source, tokenizer, info);
        Assert.True(File.Exists(Path.Combine(folder, "base", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(folder, AgentCheckpoint.AdaptersFolder, "reflector.safetensors")));

        var (loaded, _, loadedInfo) = AgentCheckpoint.Load(folder);
        using (loaded)
        {
            Assert.Equal((RoleSharing.LoraAdapters, 3L), (loaded.Sharing, loaded.Version));
            Assert.Equal(4, loaded.Adapters![AgentModels.PlannerAdapter].Config.Rank);
            Assert.False(loaded.BaseFrozen); // freezing is the RL stage's decision, not the checkpoint's
            foreach (var role in new[] { AgentRole.Planner, AgentRole.Reflector })
                Assert.Equal(LastLogits(source, role, Prompt), LastLogits(loaded, role, Prompt));
        }

        File.Delete(Path.Combine(folder, AgentCheckpoint.AdaptersFolder, "planner.safetensors"));
        var missing = Assert.Throws<FileNotFoundException>(() => AgentCheckpoint.Load(folder));
        Assert.Contains("the planner adapter of this checkpoint is missing", missing.Message, StringComparison.Ordinal);
    }
}

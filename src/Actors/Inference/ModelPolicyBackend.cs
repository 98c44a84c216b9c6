using RetroAct.Learner.Policy;
using RetroAct.Model.Tokenizers;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Inference;

/// <summary>
/// A <see cref="IPolicyBackend"/> over the node's own copy of the agent models (<see cref="ModelPolicy"/>):
/// never the learner's instance, so training and generation never share tensors.
/// </summary>
public sealed class ModelPolicyBackend : IPolicyBackend
{
    private readonly AgentModels _models;
    private readonly ModelPolicy _policy;

    /// <summary>Takes ownership of <paramref name="models"/> (disposed with the backend).</summary>
    public ModelPolicyBackend(AgentModels models, ITokenizer tokenizer, SamplingSettings sampling)
    {
        _models = models ?? throw new ArgumentNullException(nameof(models));
        _policy = new ModelPolicy(models, tokenizer, sampling);
    }

    public long Version => _models.Version;

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests) => _policy.Generate(requests);

    public void LoadWeights(long version, byte[] blob)
    {
        AgentWeightsBlob.LoadInto(_models, blob);
        _models.Version = version;
    }

    public void Dispose() => _models.Dispose();
}

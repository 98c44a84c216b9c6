using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Inference;

/// <summary>
/// What a PolicyServer runs: one batched generation call (one forward pass per role and decode step for the whole
/// batch) and an in-place weight swap. The PolicyServer owns its backend exclusively, so it needs no locking.
/// </summary>
public interface IPolicyBackend : IDisposable
{
    /// <summary>The policy version of the weights loaded now; stamped on every generated token.</summary>
    long Version { get; }

    /// <summary>Answers all requests at once, in order, each with tokens, behaviour log-probabilities and <see cref="Version"/>.</summary>
    IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests);

    /// <summary>
    /// Replaces the weights with a verified blob of version <paramref name="version"/>. The blob is lent for the call:
    /// the PolicyServer reads the next version into the same array.
    /// </summary>
    void LoadWeights(long version, byte[] blob);
}

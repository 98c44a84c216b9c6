using TorchSharp;
using RetroAct.Model;
using static TorchSharp.torch;

namespace RetroAct.Learner.Losses;

/// <summary>One role's batch for the joint loss: RL samples from the replay buffer and the paired IL samples.</summary>
/// <param name="LogProbs">log π(a_t|·) of the RL samples' tokens under the current weights, [B, T], with gradient.</param>
/// <param name="BehaviourLogProbs">log π_beh(a_t|·) recorded at generation time, [B, T].</param>
/// <param name="OutputMask">1 on the RL samples' output tokens, [B, T].</param>
/// <param name="Rewards">R of each RL sample, [B] (R_π = R_k for the planner, R_μ for the reflector).</param>
/// <param name="ImitationLogProbs">log π(y_t|·) of the paired expert samples' tokens, [B', T'], with gradient (null: no IL data).</param>
/// <param name="ImitationMask">1 on the expert samples' counted tokens, [B', T'].</param>
public sealed record RoleBatch(Tensor LogProbs, Tensor BehaviourLogProbs, Tensor OutputMask, Tensor Rewards,
                               Tensor? ImitationLogProbs, Tensor? ImitationMask);

/// <summary>The joint loss and every term of it, for logging; a role with no data this step has no terms (null).</summary>
public sealed record RetroActLossTerms(Tensor Loss, Tensor? PlannerRl, Tensor? ReflectorRl, Tensor? PlannerIl, Tensor? ReflectorIl,
                                       PolicyGradientTerm? PlannerWeights, PolicyGradientTerm? ReflectorWeights);

/// <summary>
/// The RetroAct off-policy joint policy gradient (ALGORITHMS.md §2):
/// L = L_RL(planner) + L_RL(reflector) + λ · (L_IL(planner) + L_IL(reflector)).
/// A role without samples in a step (e.g. no reflection earned a reward yet) contributes nothing.
/// </summary>
public static class RetroActLoss
{
    public static RetroActLossTerms Compute(RoleBatch? planner, RoleBatch? reflector, RetroActLossOptions options)
    {
        options.Validate();
        if (planner is null && reflector is null) throw new ArgumentException("the joint loss needs data for at least one role");
        var plannerRl = planner is null ? null : PolicyGradientLoss.Compute(planner.LogProbs, planner.BehaviourLogProbs, planner.OutputMask, planner.Rewards, options);
        var reflectorRl = reflector is null ? null : PolicyGradientLoss.Compute(reflector.LogProbs, reflector.BehaviourLogProbs, reflector.OutputMask, reflector.Rewards, options);
        Tensor? plannerIl = Imitation(planner, options);
        Tensor? reflectorIl = Imitation(reflector, options);
        using var lambda = options.Lambda.ToScalar(); // rooted while libtorch reads it (RetroAct.Model.RootedScalars)
        Tensor loss = Sum(plannerRl?.Loss, reflectorRl?.Loss)!;
        Tensor? il = Sum(plannerIl, reflectorIl);
        if (il is not null) loss = RootedScalars.Plus(loss, il.mul(lambda));
        return new RetroActLossTerms(loss, plannerRl?.Loss, reflectorRl?.Loss, plannerIl, reflectorIl, plannerRl, reflectorRl);
    }

    private static Tensor? Imitation(RoleBatch? batch, RetroActLossOptions options) =>
        batch?.ImitationLogProbs is { } logProbs && batch.ImitationMask is { } mask
            ? ImitationLoss.Compute(logProbs, mask, options.Normalization)
            : null;

    private static Tensor? Sum(Tensor? a, Tensor? b) => a is null ? b : b is null ? a : RootedScalars.Plus(a, b);
}

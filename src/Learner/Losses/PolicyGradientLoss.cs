using TorchSharp;
using RetroAct.Model;
using static TorchSharp.torch;

namespace RetroAct.Learner.Losses;

/// <summary>The off-policy policy-gradient term of one role, and the importance-weight statistics the dashboard shows.</summary>
public sealed record PolicyGradientTerm(Tensor Loss, double MeanWeight, double FractionClipped);

/// <summary>
/// L_RL = − E_{(s,a) ~ replay} [ Σ_t w_t · R · log π_θ(a_t | s, a_&lt;t) ] with clipped importance weights
/// (ALGORITHMS.md §2). Inputs are per-position tensors of shape [B, T]:
/// <c>logProbs</c> = log π_θ(a_t|·) of the sampled tokens (with gradient), <c>behaviourLogProbs</c> = log π_beh(a_t|·)
/// recorded when the data was generated, <c>outputMask</c> = 1 on agent-written tokens a_t, 0 on prompt and padding;
/// <c>rewards</c> has shape [B] (R of each sample).
/// </summary>
public static class PolicyGradientLoss
{
    public static PolicyGradientTerm Compute(Tensor logProbs, Tensor behaviourLogProbs, Tensor outputMask, Tensor rewards, RetroActLossOptions options)
    {
        CheckShapes(logProbs, behaviourLogProbs, outputMask, rewards);
        // using locals: rooted while libtorch reads them (RetroAct.Model.RootedScalars says why).
        using var low = (1 - options.Epsilon).ToScalar();
        using var high = (1 + options.Epsilon).ToScalar();
        Tensor mask = outputMask.to(logProbs.dtype);
        Tensor R = rewards.to(logProbs.dtype);

        if (options.Variant == RatioVariant.TokenDetached)
        {
            // w_t = clip(exp(log π_θ − log π_beh), 1 − ε, 1 + ε).detach()
            Tensor ratio = (logProbs.detach() - behaviourLogProbs).exp();
            Tensor w = ratio.clamp(low, high);
            Tensor perToken = -(w * R.unsqueeze(1) * logProbs) * mask;
            Tensor loss = perToken.sum() / Normalizer(mask, options.Normalization);
            return new PolicyGradientTerm(loss, MaskedMean(w, mask), MaskedMean(ClippedIndicator(ratio, low, high), mask));
        }
        else
        {
            // ρ = π_θ(a|s) / π_beh(a|s) over the whole output; L = − E[ clip(ρ, 1 − ε, 1 + ε) · R ], gradient through ρ.
            Tensor logRatio = ((logProbs - behaviourLogProbs) * mask).sum(1);
            Tensor rho = logRatio.exp();
            Tensor clipped = rho.clamp(low, high);
            Tensor loss = -(clipped * R).mean();
            return new PolicyGradientTerm(loss, Scalar(clipped.detach().mean()), Scalar(ClippedIndicator(rho.detach(), low, high).mean()));
        }
    }

    /// <summary>The denominator of the mean: every position (code) or the output tokens only; never zero.</summary>
    internal static Tensor Normalizer(Tensor mask, LossNormalization normalization) => normalization switch
    {
        LossNormalization.AllPositions => tensor((double)mask.numel(), dtype: mask.dtype, device: mask.device),
        _ => mask.sum().clamp_min(RootedScalars.One),
    };

    private static Tensor ClippedIndicator(Tensor ratio, Scalar low, Scalar high) => (ratio.lt(low) | ratio.gt(high)).to(ratio.dtype);

    private static double MaskedMean(Tensor values, Tensor mask)
    {
        double count = Scalar(mask.sum());
        return count == 0 ? 0 : Scalar((values.detach() * mask).sum()) / count;
    }

    private static double Scalar(Tensor t) => t.to(ScalarType.Float64).item<double>();

    private static void CheckShapes(Tensor logProbs, Tensor behaviourLogProbs, Tensor outputMask, Tensor rewards)
    {
        if (logProbs.dim() != 2)
            throw new ArgumentException($"log-probs must have shape [B, T]; got [{string.Join(", ", logProbs.shape)}]");
        if (!logProbs.shape.SequenceEqual(behaviourLogProbs.shape) || !logProbs.shape.SequenceEqual(outputMask.shape))
            throw new ArgumentException(
                $"log-probs [{string.Join(", ", logProbs.shape)}], behaviour log-probs [{string.Join(", ", behaviourLogProbs.shape)}] " +
                $"and output mask [{string.Join(", ", outputMask.shape)}] must have the same shape");
        if (rewards.dim() != 1 || rewards.shape[0] != logProbs.shape[0])
            throw new ArgumentException($"rewards must have shape [{logProbs.shape[0]}]; got [{string.Join(", ", rewards.shape)}]");
    }
}

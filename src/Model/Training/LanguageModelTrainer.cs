using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RetroAct.Model.Training;

/// <summary>Cross-entropy on selected positions with an AdamW step: enough for IL/SFT and for tests.</summary>
public sealed class LanguageModelTrainer : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly optim.Optimizer optimizer;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> trained;
    private readonly double clipNorm;

    /// <summary>
    /// Trains <paramref name="parameters"/>, by default every parameter that requires a gradient (with LoRA adapters
    /// added: all adapters; pass <c>adapters.Parameters("planner")</c> to train one).
    /// </summary>
    public LanguageModelTrainer(LlamaForCausalLM model, double learningRate = 1e-3, double weightDecay = 0.0, double clipNorm = 1.0,
        IEnumerable<TorchSharp.Modules.Parameter>? parameters = null)
    {
        this.model = model;
        this.clipNorm = clipNorm;
        trained = (parameters ?? model.parameters()).Where(p => p.requires_grad).ToArray();
        if (trained.Count == 0) throw new InvalidOperationException("the model has no parameter that requires a gradient");
        optimizer = optim.AdamW(trained, lr: learningRate, weight_decay: weightDecay);
    }

    /// <summary>
    /// Mean cross-entropy of ids[t] given ids[&lt;t] over positions where <paramref name="targetMask"/> [B, T] is true
    /// (column 0 is never a target). Returns a scalar that carries the graph.
    /// </summary>
    public static Tensor MaskedCrossEntropy(Tensor logits, Tensor ids, Tensor targetMask)
    {
        long t = ids.shape[1], vocab = logits.shape[2];
        var predicted = logits.narrow(1, 0, t - 1).reshape(-1, vocab);
        var targets = ids.narrow(1, 1, t - 1).reshape(-1);
        var selected = targetMask.narrow(1, 1, t - 1).reshape(-1).to_type(logits.dtype);
        var perToken = F.cross_entropy(predicted, targets, reduction: nn.Reduction.None);
        return (perToken * selected).sum() / selected.sum().clamp_min(RootedScalars.One);
    }

    /// <summary>One optimiser step on a batch; returns the loss before the step.</summary>
    public float Step(Tensor ids, Tensor targetMask)
    {
        using var scope = NewDisposeScope();
        model.train();
        optimizer.zero_grad();
        var loss = MaskedCrossEntropy(model.forward(ids), ids, targetMask);
        loss.backward();
        if (clipNorm > 0) nn.utils.clip_grad_norm_(trained, clipNorm);
        optimizer.step();
        return loss.item<float>();
    }

    public void Dispose() => optimizer.Dispose();
}

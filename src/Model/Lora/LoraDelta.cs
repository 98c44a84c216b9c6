using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RetroAct.Model.Lora;

/// <summary>The low-rank update of one linear layer: x ↦ scaling · B(A(dropout(x))). B starts at zero.</summary>
public sealed class LoraDelta : nn.Module<Tensor, Tensor>
{
    private readonly Parameter lora_A, lora_B;
    // Held through a plain wrapper: TorchSharp adopts any Module-typed field as a child (and would then
    // train, save and dispose the base layer as part of the adapter).
    private readonly LayerReference targetReference;
    private readonly double dropout;
    private readonly Scalar scaling; // rooted for the adapter's life (RootedScalars says why)

    internal LoraDelta(AdaptableLinear target, LoraConfig config, Generator? generator) : base("lora")
    {
        targetReference = new LayerReference(target);
        scaling = config.Scaling.ToScalar();
        dropout = config.Dropout;
        var device = target.weight.device;
        var dtype = target.weight.dtype;
        // As PEFT: A ~ U(±1/sqrt(in)) (kaiming-uniform with a = sqrt 5), B = 0 so a new adapter changes nothing.
        double bound = 1.0 / Math.Sqrt(target.InFeatures);
        lora_A = new Parameter(empty([config.Rank, target.InFeatures], dtype, device).uniform_(-bound, bound, generator));
        lora_B = new Parameter(zeros([target.OutFeatures, config.Rank], dtype, device));
        RegisterComponents();
    }

    public Parameter A => lora_A;
    public Parameter B => lora_B;
    internal AdaptableLinear Target => targetReference.Layer;

    public override Tensor forward(Tensor x)
    {
        // Train/eval follows the base model's layer: the adapter is not a registered submodule of the model.
        var input = dropout > 0 ? F.dropout(x, dropout, Target.training) : x;
        return F.linear(F.linear(input, lora_A), lora_B) * scaling;
    }

    /// <summary>The dense update scaling · B · A, shaped like the target's weight.</summary>
    public Tensor DeltaWeight() => lora_B.matmul(lora_A) * scaling;
}

internal sealed record LayerReference(AdaptableLinear Layer);

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RetroAct.Model;

/// <summary>
/// A linear layer (parameters named <c>weight</c>/<c>bias</c> like HF) with a slot for the active LoRA delta.
/// The delta is a plain reference, not a registered submodule, so the base state dict keeps HF names and
/// adapters are saved on their own.
/// </summary>
public sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    /// <summary>Adds <c>delta(x)</c> to the output when set (managed by <see cref="Lora.LoraAdapters"/>).</summary>
    internal nn.Module<Tensor, Tensor>? ActiveDelta { get; set; }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    public AdaptableLinear(string name, long inFeatures, long outFeatures, bool hasBias, Device device, ScalarType dtype) : base(name)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(zeros([outFeatures], dtype, device));
            register_parameter("bias", bias);
        }
    }

    public override Tensor forward(Tensor x)
    {
        var y = F.linear(x, weight, bias);
        return ActiveDelta is null ? y : RootedScalars.Plus(y, ActiveDelta.forward(x));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Model;

/// <summary>
/// Scalars passed to libtorch, created once and kept rooted. An implicit per-call scalar (the 2 of <c>x.pow(2)</c>,
/// the alpha TorchSharp adds to <c>a + b</c>, <c>a.add(s)</c> and <c>a.add_(b)</c> — not to <c>a - b</c> —, a temperature) is unreachable while its native call runs, so a garbage
/// collection triggered by another thread can finalize it mid-call. Two runs crashed that way: an evaluation of 100
/// games ("toFloat: Expected false to be true") and an RL collection (pow: "INTERNAL ASSERT FAILED at Scalar.h"); a
/// third, an evaluation, failed in the attention mask's positions, whose <c>add(-1)</c> carried TorchSharp's own alpha
/// of 1 ("For integral input tensors, argument alpha must not be a floating point number": the finalized scalar's
/// memory held another, floating-point one).
/// Code that needs a scalar known only at run time holds it in a <c>using</c> local, which keeps it alive until the
/// end of its block.
/// Temporary tensors have the same hazard: in <c>target.copy_(loaded.to(dtype, device))</c> the converted tensor is
/// unreachable while copy_ runs. The actor runtime's policy server crashed that way (SIGSEGV in copy_, after 87 to 158
/// weight loads). Tensor code therefore runs inside a <c>NewDisposeScope</c>, which holds every tensor made in it
/// until the scope ends: each training, scoring and generation step, and each tensor of a weight load or save.
/// </summary>
public static class RootedScalars
{
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar ZeroInteger = 0.ToScalar();
    public static readonly Scalar TwoInteger = 2.ToScalar();
    public static readonly Scalar MinusOneInteger = (-1L).ToScalar();

    /// <summary>The alpha of an addition: integral, so that it suits integer tensors as well as floating-point ones.</summary>
    public static readonly Scalar OneInteger = 1.ToScalar();

    /// <summary>a + b without a per-call scalar.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + s without a per-call alpha (TorchSharp's <c>a.add(s)</c> makes one).</summary>
    public static Tensor Plus(Tensor a, Scalar s) => a.add(s, OneInteger);
}

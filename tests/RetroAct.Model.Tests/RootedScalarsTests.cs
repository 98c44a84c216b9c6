using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Model.Tests;

/// <summary>The additions that replace TorchSharp's per-call alphas give the same values, for integer and floating-point tensors.</summary>
public sealed class RootedScalarsTests
{
    [Fact]
    public void Adding_a_scalar_keeps_integer_tensors_integral()
    {
        using var counts = tensor(new long[] { 1, 2, 5 });
        using var positions = RootedScalars.Plus(counts, RootedScalars.MinusOneInteger);
        Assert.Equal(ScalarType.Int64, positions.dtype);
        Assert.Equal(new long[] { 0, 1, 4 }, positions.data<long>().ToArray());
    }

    [Fact]
    public void Adding_a_scalar_or_a_tensor_to_floats_matches_the_plain_sum()
    {
        using var x = tensor(new float[] { 0.5f, -2f });
        using var eps = 1e-5.ToScalar();
        using var shifted = RootedScalars.Plus(x, eps);
        Assert.Equal(new[] { 0.5f + 1e-5f, -2f + 1e-5f }, shifted.data<float>().ToArray());
        using var y = tensor(new float[] { 1f, 3f });
        using var sum = RootedScalars.Plus(x, y);
        Assert.Equal(new[] { 1.5f, 1f }, sum.data<float>().ToArray());
    }
}

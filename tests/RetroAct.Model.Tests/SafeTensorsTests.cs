using System.Text;
using RetroAct.Model.Checkpoints;
using static TorchSharp.torch;

namespace RetroAct.Model.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("retroact-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ReadsAFileWrittenByHandToTheSpecification()
    {
        // Built byte by byte from the format description, independently of SafeTensorsFile.Write.
        string header = """{"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"format":"pt"}}""";
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((long)header.Length));
        bytes.AddRange(Encoding.UTF8.GetBytes(header));
        bytes.AddRange(BitConverter.GetBytes(1.5f));
        bytes.AddRange(BitConverter.GetBytes(-2.25f));
        bytes.AddRange(BitConverter.GetBytes((Half)3.0));
        bytes.AddRange(BitConverter.GetBytes((Half)0.5));
        string path = Path.Combine(dir, "hand.safetensors");
        File.WriteAllBytes(path, [.. bytes]);

        var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        using var a = file.Read("a");
        using var b = file.Read("b");
        Assert.Equal(new[] { 1.5f, -2.25f }, a.data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, b.dtype);
        Assert.Equal(new[] { 3.0f, 0.5f }, b.to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void RoundTripKeepsDTypesShapesValuesAndMetadata()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = randn(3, 5),
            ["f16"] = randn(4).to_type(ScalarType.Float16),
            ["bf16"] = randn(2, 2, 3).to_type(ScalarType.BFloat16),
            ["f64"] = randn(7, dtype: ScalarType.Float64),
            ["i64"] = arange(6).view(2, 3),
            ["strided"] = randn(4, 6).t(), // non-contiguous input
            ["empty"] = zeros(0, 3),
        };
        string path = Path.Combine(dir, "round.safetensors");
        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string> { ["step"] = "12" });
        var file = SafeTensorsFile.Open(path);
        Assert.Equal("12", file.Metadata["step"]);
        var read = file.ReadAll();
        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.dtype, read[name].dtype);
            Assert.Equal(t.shape, read[name].shape);
            Assert.True(TinyModels.Identical(t, read[name]), name);
        }
        // The data section starts 8-byte aligned, as the format recommends.
        Assert.Equal(0, BitConverter.ToInt64(File.ReadAllBytes(path), 0) % 8);
    }

    [Fact]
    public void AnImageInMemoryIsTheFilesBytesAndReadsInPlaceFromASliceOfALargerBuffer()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["a"] = randn(3, 4), ["b"] = arange(5), ["empty"] = zeros(0, 2) };
        string path = Path.Combine(dir, "image.safetensors");
        SafeTensorsFile.Write(path, tensors);
        using var image = new MemoryStream();
        SafeTensorsFile.WriteTo(image, tensors);
        Assert.Equal(File.ReadAllBytes(path), image.ToArray());

        // The image at offset 13 of a buffer with other bytes around it, as in an agent weight blob.
        var buffer = new byte[13 + image.Length + 7];
        Array.Fill(buffer, (byte)0xAB);
        image.ToArray().CopyTo(buffer, 13);
        var parsed = SafeTensorsFile.Parse(buffer, 13, (int)image.Length, "entry 'x'");
        var all = parsed.ReadAll();
        foreach (var (name, t) in tensors)
        {
            Assert.True(TinyModels.Identical(t, parsed.Read(name)), name);
            Assert.True(TinyModels.Identical(t, all[name]), name);
        }

        // A cut image is named by the name given, not by a path.
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Parse(buffer, 13, (int)image.Length - 4, "entry 'x'"));
        Assert.StartsWith("entry 'x': truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelCheckpointRoundTripGivesIdenticalLogitsAndMetadata()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Model(TinyModels.Config(tie: false, bias: true), seed: 41);
        TinyModels.RandomiseBiases(model);
        string folder = Path.Combine(dir, "ckpt");
        ModelCheckpoint.Save(folder, model, new Dictionary<string, string> { ["policy_version"] = "7" });
        var (loaded, metadata) = ModelCheckpoint.Load(folder, CPU);
        using (loaded)
        {
            Assert.Equal("7", metadata["policy_version"]);
            Assert.Equal(model.Config, loaded.Config);
            var ids = tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6 }).unsqueeze(0);
            using var _ = no_grad();
            Assert.True(TinyModels.Identical(model.forward(ids), loaded.forward(ids)));
        }
    }
}

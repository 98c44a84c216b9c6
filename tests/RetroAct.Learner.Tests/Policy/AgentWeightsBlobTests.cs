using RetroAct.Learner.Policy;
using RetroAct.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace RetroAct.Learner.Tests.Policy;

/// <summary>The agent weight blob under garbage collection: what the policy servers do after every learner update.</summary>
public sealed class AgentWeightsBlobTests(ITestOutputHelper output)
{
    private static readonly LlamaConfig Config = LlamaConfig.Preset("1m") with
    {
        VocabSize = 4000, HiddenSize = 256, IntermediateSize = 512, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 64,
    };

    /// <summary>
    /// Loading a blob while other threads collect garbage. A temporary tensor passed straight into a native call (the
    /// copy's source) is unreachable while that call runs, so a collection could finalize it mid-copy: an actor-runtime
    /// training run crashed that way (SIGSEGV in copy_) after 87 to 158 weight versions. Here another thread collects
    /// the youngest generation every millisecond: the old code crashed the test host within these 8 seconds (twice in two runs).
    /// </summary>
    [Fact]
    public void ABlobRoundTripsExactlyAndACutOrDamagedOneIsRefusedNamingTheEntry()
    {
        using var source = AgentModels.Create(Config, RoleSharing.TwoModels, seed: 1);
        using var target = AgentModels.Create(Config, RoleSharing.TwoModels, seed: 2);
        byte[] blob = AgentWeightsBlob.Serialize(source);

        AgentWeightsBlob.LoadInto(target, blob);
        Assert.Equal(blob, AgentWeightsBlob.Serialize(target)); // every tensor copied, byte for byte

        var cut = Assert.Throws<InvalidDataException>(() => AgentWeightsBlob.LoadInto(target, blob[..(blob.Length - 100)]));
        Assert.Contains("bytes but", cut.Message, StringComparison.Ordinal); // "'<entry>' claims N bytes but M follow"
        Assert.Contains("claims", cut.Message, StringComparison.Ordinal);

        // The first entry's safetensors header length, right after magic, format, count and the entry's name and length.
        var damaged = (byte[])blob.Clone();
        int nameLength = damaged[12]; // BinaryWriter's 7-bit length prefix of a short name
        BitConverter.GetBytes(long.MaxValue).CopyTo(damaged, 12 + 1 + nameLength + 8);
        var bad = Assert.Throws<InvalidDataException>(() => AgentWeightsBlob.LoadInto(target, damaged));
        Assert.StartsWith("agent weight blob entry '", bad.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt header length", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadingWeightsWhileAnotherThreadCollectsGarbageCopiesEveryTensor()
    {
        using var source = AgentModels.Create(Config, RoleSharing.TwoModels, seed: 1);
        using var target = AgentModels.Create(Config, RoleSharing.TwoModels, seed: 2);
        byte[] blob = AgentWeightsBlob.Serialize(source);

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0); // the youngest generation, where the temporaries are; their finalizers run on their own thread
                Thread.Sleep(1); // constant collections would starve the loads
            }
        }) { IsBackground = true };
        collector.Start();
        int loads = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // A few seconds of loads (the collections slow each one down); the old code crashed within them.
            while (clock.Elapsed < TimeSpan.FromSeconds(8) && loads < 400)
            {
                AgentWeightsBlob.LoadInto(target, blob);
                loads++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        output.WriteLine($"{loads} loads in {clock.Elapsed.TotalSeconds:F1} s under forced collections");
        Assert.True(loads >= 10, $"only {loads} loads ran");
        foreach (var ((name, loaded), (_, expected)) in target.Planner.state_dict().Zip(source.Planner.state_dict()))
            Assert.True(loaded.eq(expected).all().item<bool>(), $"planner tensor {name} differs after the loads");
        foreach (var ((name, loaded), (_, expected)) in target.Reflector.state_dict().Zip(source.Reflector.state_dict()))
            Assert.True(loaded.eq(expected).all().item<bool>(), $"reflector tensor {name} differs after the loads");
    }
}

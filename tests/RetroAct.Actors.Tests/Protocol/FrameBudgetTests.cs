using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Tests.Protocol;

public class FrameBudgetTests
{
    private static string Utf8Text(int bytes) => new('é', bytes / 2); // 2 UTF-8 bytes per char: the worst common case

    public static TheoryData<string, IClusterMessage> LargestOfEach()
    {
        var id = Guid.NewGuid();
        var longName = new string('n', MetricsReport.MaxNameBytes - 4);
        return new TheoryData<string, IClusterMessage>
        {
            { "lease request", new LeaseRequest(new WorkerAddress(Utf8Text(WorkerAddress.MaxNodeBytes), int.MaxValue), LeaseRequest.MaxCount) },
            { "lease given back", new LeaseGivenBack(id, Utf8Text(LeaseGivenBack.MaxReasonBytes)) },
            {
                "generate request",
                new GenerateRequest(id, PolicyRole.Planner, Utf8Text(GenerateRequest.MaxPromptBytes),
                                    [.. Enumerable.Repeat(Utf8Text(GenerateRequest.MaxAdmissibleBytes / GenerateRequest.MaxAdmissible), GenerateRequest.MaxAdmissible)])
            },
            {
                "generate response",
                new GenerateResponse(id, Utf8Text(GenerateResponse.MaxTextBytes), Enumerable.Repeat(int.MaxValue, GenerateResponse.MaxTokens).ToArray(),
                                     Enumerable.Repeat(-1.5f, GenerateResponse.MaxTokens).ToArray(), long.MaxValue)
            },
            { "generate failed", new GenerateFailed(id, Utf8Text(GenerateFailed.MaxReasonBytes)) },
            { "trajectory fragment", new TrajectoryFragment(id, TrajectoryFragment.MaxCount - 1, TrajectoryFragment.MaxCount, new byte[TrajectoryFragment.MaxBytes]) },
            { "trajectory rejected", new TrajectoryRejected(id, Utf8Text(TrajectoryRejected.MaxReasonBytes)) },
            { "sample reply", new SampleReply(id, Enumerable.Range(0, SampleRequest.MaxCount).Select(_ => Guid.NewGuid()).ToList(), int.MaxValue) },
            { "weight chunk", new WeightChunk(long.MaxValue, int.MaxValue, int.MaxValue, new byte[WeightChunk.MaxBytes]) },
            { "weights gone", new WeightsVersionUnavailable(long.MaxValue, Utf8Text(WeightsVersionUnavailable.MaxReasonBytes)) },
            {
                "metrics",
                new MetricsReport(Utf8Text(MetricsReport.MaxNameBytes), DateTimeOffset.MaxValue,
                                  Enumerable.Range(0, MetricsReport.MaxValues).ToDictionary(i => $"{longName}{i:0000}"[..MetricsReport.MaxNameBytes], i => double.MaxValue))
            },
        };
    }

    [Theory]
    [MemberData(nameof(LargestOfEach))]
    public void The_largest_message_the_bounds_allow_fits_the_frame(string what, IClusterMessage message)
    {
        var bytes = ClusterMessageCodec.Encode(message);

        Assert.True(bytes.Length <= FrameBudget.MaxMessageBytes, $"{what}: {bytes.Length} bytes");
    }

    [Fact]
    public void Fields_over_their_bound_are_refused_at_construction_naming_the_field()
    {
        var id = Guid.NewGuid();
        Assert.Contains("GenerateRequest.Prompt",
            Assert.Throws<ArgumentException>(() => new GenerateRequest(id, PolicyRole.Planner, new string('a', GenerateRequest.MaxPromptBytes + 1))).Message);
        Assert.Contains("GenerateRequest.Admissible",
            Assert.Throws<ArgumentException>(() => new GenerateRequest(id, PolicyRole.Planner, "p", [.. Enumerable.Repeat("go to shelf 1", GenerateRequest.MaxAdmissible + 1)])).Message);
        Assert.Contains("GenerateRequest.Admissible",
            Assert.Throws<ArgumentException>(() => new GenerateRequest(id, PolicyRole.Planner, "p", [new string('a', GenerateRequest.MaxAdmissibleBytes + 1)])).Message);
        Assert.Contains("WeightChunk.Bytes",
            Assert.Throws<ArgumentException>(() => new WeightChunk(1, 0, 1, new byte[WeightChunk.MaxBytes + 1])).Message);
        Assert.Contains("SampleRequest.Count",
            Assert.Throws<ArgumentOutOfRangeException>(() => new SampleRequest(id, SampleRequest.MaxCount + 1, SamplingMode.Fifo, 0)).Message);
        Assert.Contains("TrajectoryFragment.Index",
            Assert.Throws<ArgumentOutOfRangeException>(() => new TrajectoryFragment(id, 3, 3, [])).Message);
        Assert.Contains("pair one to one",
            Assert.Throws<ArgumentException>(() => new GenerateResponse(id, "x", [1, 2], [-1f], 0)).Message);
        Assert.Contains("ChunkCount",
            Assert.Throws<ArgumentException>(() => new WeightsVersionReady(1, false, 100, 10, 9, new byte[16])).Message);
        Assert.Contains("Checksum must be 16 bytes",
            Assert.Throws<ArgumentException>(() => new WeightsVersionReady(1, false, 100, 10, 10, new byte[15])).Message);
    }

    [Fact]
    public void A_batch_reads_its_policy_versions_from_the_episode_ignoring_scripted_turns()
    {
        var batch = SampleMessages.Batch(policyVersion: 3);
        Assert.Equal((3L, 4L), (batch.OldestPolicyVersion, batch.NewestPolicyVersion));

        var scripted = SampleMessages.Episode(policyVersion: -1) with { Reflections = [] };
        var unversioned = scripted with
        {
            Trials = [.. scripted.Trials.Select(t => t with { Turns = [.. t.Turns.Select(u => u with { PolicyVersion = -1 })] })],
        };
        Assert.Equal((-1L, -1L), (TrajectoryBatch.Create(Guid.NewGuid(), unversioned).OldestPolicyVersion, TrajectoryBatch.Create(Guid.NewGuid(), unversioned).NewestPolicyVersion));
    }
}

using RetroAct.Learner.Training;
using RetroAct.Rollout;

namespace RetroAct.Learner.Tests.Training;

public sealed class LengthBucketsTests
{
    private static List<TrainingSample> Samples(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => new TrainingSample(AgentRole.Planner, new int[1 + random.Next(600)], [i], [true]))
            .ToList();
    }

    [Fact]
    public void Every_sample_is_in_exactly_one_batch_and_batches_are_full_but_for_one_per_window()
    {
        var samples = Samples(1000, 1);
        var batches = LengthBuckets.Batches(samples, 16, new Random(2));
        Assert.Equal(samples.Select(s => s.Output[0]).Order(), batches.SelectMany(b => b).Select(s => s.Output[0]).Order());
        Assert.Equal((1000 + 15) / 16, batches.Count);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 16));
    }

    [Fact]
    public void Padding_is_far_smaller_than_with_random_batches()
    {
        var samples = Samples(2048, 3);
        static long Padding(IEnumerable<List<TrainingSample>> batches) =>
            batches.Sum(b => b.Sum(s => (long)b.Max(x => x.Prompt.Length) - s.Prompt.Length));
        var random = new Random(4);
        var shuffled = samples.OrderBy(_ => random.Next()).ToList();
        long randomPadding = Padding(shuffled.Chunk(16).Select(c => c.ToList()));
        long bucketedPadding = Padding(LengthBuckets.Batches(samples, 16, new Random(4)));
        Assert.True(bucketedPadding * 5 < randomPadding, $"bucketed {bucketedPadding} vs random {randomPadding}");
    }

    [Fact]
    public void Same_seed_gives_the_same_batches()
    {
        var samples = Samples(300, 5);
        var a = LengthBuckets.Batches(samples, 8, new Random(6)).Select(b => b.Select(s => s.Output[0]).ToArray()).ToList();
        var b = LengthBuckets.Batches(samples, 8, new Random(6)).Select(b => b.Select(s => s.Output[0]).ToArray()).ToList();
        Assert.Equal(a, b);
    }
}

namespace RetroAct.Learner.Training;

/// <summary>
/// Shuffled mini-batches of samples of similar length. Batches are right-padded to their longest sample, so random
/// batches of whole trials (200–700 tokens) waste a third of the compute on padding; sorting each window of
/// <c>batch × WindowBatches</c> shuffled samples by length before cutting it keeps the order random between windows
/// and the padding small within a batch. The batch order is shuffled again so lengths do not trend within an epoch.
/// </summary>
public static class LengthBuckets
{
    public const int WindowBatches = 16;

    public static List<List<TrainingSample>> Batches(IReadOnlyList<TrainingSample> samples, int batchSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var shuffled = samples.OrderBy(_ => random.Next()).ToList();
        var batches = new List<List<TrainingSample>>((samples.Count + batchSize - 1) / batchSize);
        int window = batchSize * WindowBatches;
        for (int start = 0; start < shuffled.Count; start += window)
        {
            var sorted = shuffled.Skip(start).Take(window).OrderBy(s => s.Prompt.Length + s.Output.Length).ToList();
            for (int b = 0; b < sorted.Count; b += batchSize) batches.Add(sorted.GetRange(b, Math.Min(batchSize, sorted.Count - b)));
        }
        return batches.OrderBy(_ => random.Next()).ToList();
    }
}

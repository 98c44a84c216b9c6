namespace RetroAct.Actors.Inference;

/// <summary>Dynamic batching and weight-pull settings of a <see cref="PolicyServer"/>.</summary>
public sealed record PolicyServerOptions
{
    /// <summary>Most requests answered by one batched generation.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>How long the first waiting request may wait for others to join its batch.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How weight versions are pulled: <see cref="Weights.WeightTransport.Tcp"/> and <see cref="Weights.WeightTransport.Grpc"/>
    /// pull from the endpoint the announcement names, by its scheme (falling back to chunks if that fails);
    /// <see cref="Weights.WeightTransport.Akka"/> always pulls chunks. Announcements in one process name no endpoint,
    /// so the embedded runtime pulls locally either way.
    /// </summary>
    public Weights.WeightTransport WeightTransport { get; init; } = Weights.WeightTransport.Tcp;

    /// <summary>A weight pull with no chunk (or no streamed bytes) for this long asks again for what is missing (a stream: falls back to chunks).</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Chunks asked for at once (at most <see cref="Protocol.WeightChunkRequest.MaxCount"/>; 32 × 64 KiB = 2 MiB in
    /// flight). A busy server handles chunks between generation batches, so each window costs about one batch: a
    /// small window made a 6.7 MB pull outlast the next version on a loaded machine.
    /// </summary>
    public int PullWindow { get; init; } = 32;
}

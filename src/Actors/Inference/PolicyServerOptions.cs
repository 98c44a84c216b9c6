namespace RetroAct.Actors.Inference;

/// <summary>Dynamic batching and weight-pull settings of a <see cref="PolicyServer"/>.</summary>
public sealed record PolicyServerOptions
{
    /// <summary>Most requests answered by one batched generation.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>How long the first waiting request may wait for others to join its batch.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A weight pull with no chunk for this long asks again for what is missing.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Chunks asked for at once (at most <see cref="Protocol.WeightChunkRequest.MaxCount"/>).</summary>
    public int PullWindow { get; init; } = 8;
}

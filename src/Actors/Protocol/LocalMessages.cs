namespace RetroAct.Actors.Protocol;

// Messages that never leave their process: they pass between actors that always live on the same node (the Learner
// and its WeightStore, a RolloutNode's workers and its PolicyServer), some carrying in-memory objects (a whole weight
// blob). They are plain records, not IClusterMessage, so the serializer refuses them if one were ever sent to another
// node by mistake.

/// <summary>The learner hands a new weight version (the whole serialized blob, its learner epoch) to its node's WeightStore. Local only.</summary>
public sealed record PublishWeights(long Version, bool LoraOnly, byte[] Blob, long Epoch = 0);

/// <summary>The WeightStore announced a version: the announcement it published. Local only.</summary>
public sealed record WeightsPublished(WeightsVersionReady Announcement);

/// <summary>
/// A rollout worker tells its node's PolicyServer that it has no episode to play (it starts, waits for a lease, or
/// pauses after a give-back) and will not ask until its next <see cref="GenerateRequest"/>. The server then answers a
/// batch as soon as every worker still playing has asked, instead of waiting for this one until the max wait. Local only.
/// </summary>
public sealed record PolicyClientIdle
{
    public static readonly PolicyClientIdle Instance = new();
}

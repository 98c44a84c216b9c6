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
/// A rollout worker tells its node's PolicyServer whether it may still ask (<see cref="Playing"/>: at start, when a
/// lease is on its way) or has nothing to play until a task comes (<see cref="Idle"/>: its lease request was parked,
/// or it pauses after a give-back). The first status makes it one of the server's workers; each request marks it
/// playing. The server answers a batch as soon as every worker still playing has asked, instead of waiting the max
/// wait for workers that will not ask. Local only.
/// </summary>
public sealed record PolicyClientStatus(bool MayAsk)
{
    public static readonly PolicyClientStatus Playing = new(true);
    public static readonly PolicyClientStatus Idle = new(false);
}

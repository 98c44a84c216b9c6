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

/// <summary>
/// The generation requests of a rollout worker that plays several episodes at once (one per environment slot),
/// sent as one message: a worker's round costs one hand-off to the PolicyServer instead of one per episode. The
/// server answers the requests of such a message that fall in one batch with one <see cref="GenerateResponses"/>.
/// Local only (a worker and its PolicyServer share a node).
/// </summary>
public sealed record GenerateRequests(IReadOnlyList<GenerateRequest> Requests);

/// <summary>The answers to (part of) a <see cref="GenerateRequests"/> that one batch produced, and the requests it failed. Local only.</summary>
public sealed record GenerateResponses(IReadOnlyList<GenerateResponse> Answers, IReadOnlyList<GenerateFailed> Failures);

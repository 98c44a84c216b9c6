namespace RetroAct.Actors.Protocol;

// Messages that never leave their process: they carry in-memory objects (a whole weight blob) between actors that
// always live on the same node (the Learner and its WeightStore). They are plain records, not IClusterMessage, so
// the serializer refuses them if one were ever sent to another node by mistake.

/// <summary>The learner hands a new weight version (the whole serialized blob, its learner epoch) to its node's WeightStore. Local only.</summary>
public sealed record PublishWeights(long Version, bool LoraOnly, byte[] Blob, long Epoch = 0);

/// <summary>The WeightStore announced a version: the announcement it published. Local only.</summary>
public sealed record WeightsPublished(WeightsVersionReady Announcement);

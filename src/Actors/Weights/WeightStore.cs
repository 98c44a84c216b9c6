using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Serves weight versions in chunks. The learner hands it each new version (<see cref="PublishWeights"/>, local);
/// it cuts the blob with a <see cref="WeightChunker"/>, announces the version on the weights topic, and answers
/// <see cref="WeightChunkRequest"/>s. The newest <see cref="KeptVersions"/> versions stay servable, so a pull that
/// is underway when the next version appears can still finish. On a node that runs a weight server (<see cref="IWeightServer"/>)
/// the store also hands the kept versions to its <see cref="ServedWeights"/> and names the server's endpoint in each
/// announcement, so rollout nodes can stream a version (socket or gRPC) instead of pulling chunks (which stay available).
/// Each announcement also goes straight to every policy server that has asked for the newest version
/// (<see cref="WeightsVersionQuery"/>, which each sends when it starts), until it stops: a subscription to the topic
/// reaches the other nodes by gossip, and a node that started between its query and that gossip missed the versions
/// published meanwhile (a cluster test saw a rollout node install versions 2 and 3 but never 1).
/// </summary>
public sealed class WeightStore : ReceiveActor
{
    /// <summary>Versions kept servable.</summary>
    public const int KeptVersions = 2;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<WeightChunker> _versions = new();
    private readonly HashSet<IActorRef> _askers = []; // policy servers that queried, told each announcement directly

    public WeightStore(int chunkBytes, ServedWeights? served)
    {
        Receive<PublishWeights>(m =>
        {
            var chunker = new WeightChunker(m.Version, m.LoraOnly, m.Blob, chunkBytes, m.Epoch, served?.Endpoint);
            _versions.AddLast(chunker);
            while (_versions.Count > KeptVersions) _versions.RemoveFirst();
            served?.Keep(_versions.Select(c => (c.Announcement, c.Blob)));
            _log.Info("weight version {0} (epoch {1}): {2:N0} bytes in {3} chunks, {4}{5}", m.Version, m.Epoch, m.Blob.LongLength,
                chunker.Announcement.ChunkCount, $"{WeightChecksum.Algorithm} {WeightChecksum.Hex(chunker.Announcement.Checksum)}",
                served?.Endpoint is { } endpoint ? $"; served at {endpoint}" : "");
            WeightsTopic.Publish(Context.System, chunker.Announcement);
            foreach (var asker in _askers) asker.Tell(chunker.Announcement); // a second copy is ignored by its receiver
            Sender.Tell(new WeightsPublished(chunker.Announcement));
        });
        Receive<WeightChunkRequest>(request =>
        {
            // The newest match: after a learner resume the store may hold two versions with one number (two epochs).
            var chunker = _versions.LastOrDefault(c => c.Announcement.Version == request.Version);
            if (chunker is null)
            {
                string why = _versions.Count == 0
                    ? "no weight version published yet"
                    : $"version {request.Version} is not kept; newest is {_versions.Last!.Value.Announcement.Version}";
                Sender.Tell(new WeightsVersionUnavailable(request.Version, why));
                return;
            }
            foreach (var chunk in chunker.Serve(request)) Sender.Tell(chunk);
        });
        Receive<WeightsVersionQuery>(query =>
        {
            if (!Sender.IsNobody() && !Sender.Equals(Context.System.DeadLetters) && _askers.Add(Sender)) Context.Watch(Sender);
            if (_versions.Last?.Value.Announcement is { } newest && newest.Version > query.NewerThan) Sender.Tell(newest);
        });
        Receive<Terminated>(stopped => _askers.Remove(stopped.ActorRef));
    }

    /// <summary>
    /// The store's props; <paramref name="chunkBytes"/> is the chunk size (default 64 KiB, below the frame);
    /// <paramref name="served"/> is the node's weight server's set of versions (null: no weight server, chunks only).
    /// </summary>
    public static Props Props(int chunkBytes = WeightChunker.DefaultChunkBytes, ServedWeights? served = null) =>
        Akka.Actor.Props.Create(() => new WeightStore(chunkBytes, served));
}

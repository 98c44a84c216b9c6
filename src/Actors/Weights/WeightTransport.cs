using RetroAct.Learner.Serial;

namespace RetroAct.Actors.Weights;

/// <summary>How a rollout node's PolicyServer pulls a weight version from the learner node.</summary>
public enum WeightTransport
{
    /// <summary>
    /// One plain TCP connection per pull to the learner node's <see cref="WeightSocketServer"/>, when the announcement
    /// names an endpoint; the chunked Akka pull when it names none or the pull fails. The cluster default.
    /// </summary>
    Tcp,

    /// <summary>
    /// The learner node's gRPC server stream (1 MiB messages on its own HTTP/2 connection), when the announcement
    /// names an endpoint; the chunked Akka pull when it names none or the stream fails.
    /// </summary>
    Grpc,

    /// <summary>Chunked Akka messages only (64 KiB chunks on the node-to-node Akka connection).</summary>
    Akka,
}

/// <summary>The configuration names of <see cref="WeightTransport"/> (Cluster:WeightTransport, --weight-transport).</summary>
public static class WeightTransports
{
    /// <summary>Every allowed name, the default first (the configuration's own list, which validates it at start-up).</summary>
    public static IReadOnlyList<string> Names => TrainingConfig.WeightTransports;

    /// <summary>The transport named <paramref name="name"/> (exactly one of <see cref="Names"/>); false for any other name.</summary>
    public static bool TryParse(string? name, out WeightTransport transport)
    {
        foreach (var candidate in Enum.GetValues<WeightTransport>())
        {
            if (Name(candidate) != name) continue;
            transport = candidate;
            return true;
        }
        transport = default;
        return false;
    }

    /// <summary>The configuration name of <paramref name="transport"/>.</summary>
    public static string Name(WeightTransport transport) => transport switch
    {
        WeightTransport.Tcp => "tcp",
        WeightTransport.Grpc => "grpc",
        _ => "akka",
    };
}

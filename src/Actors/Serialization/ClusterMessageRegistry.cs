using System.Runtime.Serialization;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Serialization;

/// <summary>
/// The one table of wire names: each <see cref="IClusterMessage"/> type and its short, stable manifest. The manifest,
/// not the CLR name, travels with every message, so types can be renamed or moved without breaking a running cluster.
/// Never reuse or change a manifest once released; add new ones.
/// </summary>
public static class ClusterMessageRegistry
{
    private static readonly (Type Type, string Manifest)[] Table =
    [
        // tasks / leases
        (typeof(LeaseRequest), "task.request"),
        (typeof(LeaseRequestParked), "task.parked"),
        (typeof(TaskLease), "task.lease"),
        (typeof(LeaseCompleted), "task.done"),
        (typeof(LeaseGivenBack), "task.back"),
        (typeof(EnqueueTasks), "task.enqueue"),
        // generation (PolicyServer)
        (typeof(GenerateRequest), "gen.request"),
        (typeof(GenerateResponse), "gen.response"),
        (typeof(GenerateFailed), "gen.failed"),
        // trajectories (ReplayBuffer)
        (typeof(TrajectoryBatch), "traj.batch"),
        (typeof(TrajectoryFragment), "traj.frag"),
        (typeof(TrajectoryAck), "traj.ack"),
        (typeof(TrajectoryRejected), "traj.reject"),
        // learner sampling
        (typeof(SampleRequest), "sample.request"),
        (typeof(SampleReply), "sample.reply"),
        // weights
        (typeof(WeightsVersionReady), "weights.ready"),
        (typeof(WeightChunkRequest), "weights.pull"),
        (typeof(WeightChunk), "weights.chunk"),
        (typeof(WeightsVersionUnavailable), "weights.gone"),
        (typeof(WeightsVersionQuery), "weights.query"),
        // metrics
        (typeof(MetricsReport), "metrics.report"),
    ];

    private static readonly Dictionary<Type, string> ManifestByType = Table.ToDictionary(e => e.Type, e => e.Manifest);
    private static readonly Dictionary<string, Type> TypeByManifest = Table.ToDictionary(e => e.Manifest, e => e.Type, StringComparer.Ordinal);

    /// <summary>Every registered message type with its manifest.</summary>
    public static IReadOnlyDictionary<Type, string> Manifests => ManifestByType;

    /// <summary>The manifest of a registered type; a clear error for anything else.</summary>
    public static string ManifestOf(Type type) =>
        ManifestByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new SerializationException(
                $"{type.FullName} has no manifest in {nameof(ClusterMessageRegistry)}; every {nameof(IClusterMessage)} must be listed there");

    /// <summary>The type a manifest names; a clear error for an unknown manifest (a peer on another protocol version, or garbage).</summary>
    public static Type TypeOf(string manifest) =>
        TypeByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new SerializationException($"unknown cluster message manifest '{Printable(manifest)}'");

    /// <summary>A manifest safe to put in an error message (bounded length, control characters escaped).</summary>
    internal static string Printable(string? manifest)
    {
        if (manifest is null) return "(null)";
        var shown = manifest.Length > 64 ? manifest[..64] + "…" : manifest;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}

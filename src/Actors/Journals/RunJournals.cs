using System.Globalization;

namespace RetroAct.Actors.Journals;

/// <summary>A weight version a node's PolicyServer verified (its checksum, XXH128 of the whole blob) and installed.</summary>
public sealed record InstalledWeights(long Version, long Epoch, string Checksum, long Bytes, DateTimeOffset Time);

/// <summary>A trajectory the replay buffer acknowledged to one of the node's workers (first ack only), with the lease it completes.</summary>
public sealed record AckedTrajectory(Guid Trajectory, Guid Lease, int Worker, bool Duplicate, long OldestPolicyVersion, long NewestPolicyVersion, DateTimeOffset Time);

/// <summary>
/// A task lease one of the node's workers received (<see cref="Received"/>) or gave back. A lease received and neither
/// acked (<see cref="AckedTrajectory.Lease"/>) nor given back is one the node holds: the dispatcher re-issues it if the node dies.
/// </summary>
public sealed record LeaseEvent(Guid Lease, int Worker, string Task, string Event, DateTimeOffset Time)
{
    public const string Received = "received", GivenBack = "given back";
}

/// <summary>A weight version the learner handed to the WeightStore (which announced it), with its learner epoch.</summary>
public sealed record PublishedWeights(long Version, long Epoch, string Checksum, long Bytes, bool Resumed, DateTimeOffset Time);

/// <summary>
/// What a rollout node writes to the run directory so a crash test (or an operator) can check the node's side of the
/// protocol: every weight version it installed, every lease it received or gave back, every trajectory id it got an ack
/// for. Null object: <see cref="NoRolloutJournal"/>.
/// </summary>
public interface IRolloutJournal
{
    void WeightsInstalled(long version, long epoch, byte[] checksum, long bytes);

    void LeaseReceived(Guid leaseId, int worker, string task);

    void LeaseGivenBack(Guid leaseId, int worker, string task);

    void TrajectoryAcked(Guid trajectoryId, Guid leaseId, int worker, bool duplicate, long oldestPolicyVersion, long newestPolicyVersion);
}

/// <summary>Records nothing (unit tests, tools).</summary>
public sealed class NoRolloutJournal : IRolloutJournal
{
    public static readonly NoRolloutJournal Instance = new();

    public void WeightsInstalled(long version, long epoch, byte[] checksum, long bytes)
    {
    }

    public void LeaseReceived(Guid leaseId, int worker, string task)
    {
    }

    public void LeaseGivenBack(Guid leaseId, int worker, string task)
    {
    }

    public void TrajectoryAcked(Guid trajectoryId, Guid leaseId, int worker, bool duplicate, long oldestPolicyVersion, long newestPolicyVersion)
    {
    }
}

/// <summary>
/// The rollout journal as three JSONL files under <c>RUN/nodes/NODE/</c>: <c>weights.jsonl</c>, <c>leases.jsonl</c> and <c>acks.jsonl</c>.
/// A restarted node with the same name appends to the same files.
/// </summary>
public sealed class RolloutJournal(string folder) : IRolloutJournal, IDisposable
{
    public const string WeightsFile = "weights.jsonl", LeasesFile = "leases.jsonl", AcksFile = "acks.jsonl";

    private readonly JsonlJournal _weights = new(Path.Combine(folder, WeightsFile));
    private readonly JsonlJournal _leases = new(Path.Combine(folder, LeasesFile));
    private readonly JsonlJournal _acks = new(Path.Combine(folder, AcksFile));

    /// <summary>The journal folder of node <paramref name="node"/> in run directory <paramref name="run"/>.</summary>
    public static string Folder(string run, string node) => Path.Combine(run, "nodes", node);

    /// <summary>A node's name in the run directory: host-port ("local" for the embedded runtime).</summary>
    public static string NodeName(string host, int port) => $"{host}-{port.ToString(CultureInfo.InvariantCulture)}";

    public void WeightsInstalled(long version, long epoch, byte[] checksum, long bytes) =>
        _weights.Append(new InstalledWeights(version, epoch, Convert.ToHexString(checksum), bytes, DateTimeOffset.UtcNow));

    public void LeaseReceived(Guid leaseId, int worker, string task) =>
        _leases.Append(new LeaseEvent(leaseId, worker, task, LeaseEvent.Received, DateTimeOffset.UtcNow));

    public void LeaseGivenBack(Guid leaseId, int worker, string task) =>
        _leases.Append(new LeaseEvent(leaseId, worker, task, LeaseEvent.GivenBack, DateTimeOffset.UtcNow));

    public void TrajectoryAcked(Guid trajectoryId, Guid leaseId, int worker, bool duplicate, long oldestPolicyVersion, long newestPolicyVersion) =>
        _acks.Append(new AckedTrajectory(trajectoryId, leaseId, worker, duplicate, oldestPolicyVersion, newestPolicyVersion, DateTimeOffset.UtcNow));

    public void Dispose()
    {
        _weights.Dispose();
        _leases.Dispose();
        _acks.Dispose();
    }
}

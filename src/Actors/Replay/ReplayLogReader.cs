using MessagePack;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Replay;

/// <summary>What a replay buffer's write-ahead log holds: the trajectory ids of its Stored records, in order (with repeats, if any).</summary>
public sealed record ReplayLogContents(IReadOnlyList<Guid> StoredIds, IReadOnlyList<Guid> ForgottenIds, WalRecovery Scan);

/// <summary>
/// Reads a replay buffer's write-ahead log without changing it, even while the buffer appends to it: for crash tests
/// and for an operator who wants to know what was durably acknowledged.
/// </summary>
public static class ReplayLogReader
{
    public static ReplayLogContents Read(string walPath)
    {
        var scan = WriteAheadLog.ReadOnly(walPath);
        var stored = new List<Guid>();
        var forgotten = new List<Guid>();
        foreach (var bytes in scan.Records)
        {
            var record = MessagePackSerializer.Deserialize<ReplayLogRecord>(bytes, ClusterMessageCodec.Options);
            if (record.Kind == ReplayLogKind.Stored && record.Stored is { } batch) stored.Add(batch.TrajectoryId);
            else if (record.Kind == ReplayLogKind.Forgotten) forgotten.AddRange(record.ForgottenIds);
        }
        return new ReplayLogContents(stored, forgotten, scan);
    }
}

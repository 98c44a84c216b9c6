using MessagePack;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Replay;

/// <summary>
/// The replay buffer's state as a plain class: a bounded, de-duplicated set of trajectories, durable through a
/// write-ahead log, sampled FIFO, by recency, by priority or uniformly with a seeded RNG, with stale data dropped.
/// Not thread-safe: the ReplayBuffer actor owns it and calls it from one thread at a time.
/// </summary>
public sealed class ReplayStore : IDisposable
{
    private readonly ReplayStoreOptions _options;
    private readonly WriteAheadLog? _wal;
    private readonly Random _rng;
    private readonly SortedDictionary<long, Entry> _bySequence = [];
    private readonly Dictionary<Guid, Entry> _byId = [];
    // Ids that left the store, remembered (bounded) so a late re-send is acknowledged without being stored again.
    private readonly HashSet<Guid> _forgotten = [];
    private readonly Queue<Guid> _forgottenOrder = new();
    private long _nextSequence;
    private long _fifoCursor;
    private long _stored, _duplicates, _evicted, _droppedStale, _sampled;

    /// <summary>Opens the store; with a WAL path, rebuilds the contents from the log (cutting off a torn tail).</summary>
    public ReplayStore(ReplayStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"invalid replay store options: {string.Join("; ", problems)}", nameof(options));
        _options = options;
        _rng = new Random(options.Seed);
        if (options.WalPath is null) return;

        _wal = new WriteAheadLog(options.WalPath);
        Recovery = _wal.Recover();
        foreach (var bytes in Recovery.Records)
            Apply(Decode(bytes));
        // Counters describe this run; what the log held shows up in Held and Recovery.
        _stored = _duplicates = _evicted = 0;
    }

    /// <summary>What rebuilding from the write-ahead log found; null for an in-memory store.</summary>
    public WalRecovery? Recovery { get; }

    /// <summary>Trajectories held now.</summary>
    public int Count => _byId.Count;

    /// <summary>The counters since this store was opened.</summary>
    public ReplayCounters Counters => new(Count, _stored, _duplicates, _evicted, _droppedStale, _sampled);

    /// <summary>Whether a trajectory is held now.</summary>
    public bool Contains(Guid trajectoryId) => _byId.ContainsKey(trajectoryId);

    /// <summary>
    /// Stores a trajectory once: it is on disk before the ack is returned. A trajectory seen before (held, or recently
    /// evicted or dropped) is acknowledged again with <see cref="TrajectoryAck.Duplicate"/> set and not stored.
    /// <paramref name="priority"/> overrides the default |total return| + floor for prioritised sampling. With
    /// <paramref name="durable"/> false the log record is written but not yet flushed: the ack may only go out after
    /// <see cref="Commit"/>.
    /// </summary>
    public TrajectoryAck Add(TrajectoryBatch batch, double? priority = null, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (priority is { } p && (!(p > 0) || double.IsInfinity(p)))
            throw new ArgumentOutOfRangeException(nameof(priority), p, $"priority of trajectory {batch.TrajectoryId} must be a finite number > 0");
        if (_byId.ContainsKey(batch.TrajectoryId) || _forgotten.Contains(batch.TrajectoryId))
        {
            _duplicates++;
            return new TrajectoryAck(batch.TrajectoryId, Duplicate: true);
        }

        double effective = priority ?? Math.Abs(batch.TotalReturn) + _options.PriorityFloor;
        var record = ReplayLogRecord.ForStored(batch, effective);
        _wal?.Append(MessagePackSerializer.Serialize(record, ClusterMessageCodec.Options), durable);
        Apply(record);
        CompactIfLogIsLong();
        return new TrajectoryAck(batch.TrajectoryId, Duplicate: false);
    }

    /// <summary>
    /// Drops stale trajectories (oldest policy version below <paramref name="currentPolicyVersion"/> − max_policy_lag;
    /// version −1, data no policy wrote, never goes stale), then picks up to <paramref name="count"/> of the rest.
    /// Random modes pick without replacement within one call.
    /// </summary>
    public ReplaySample Sample(int count, SamplingMode mode, long currentPolicyVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int dropped = DropStale(currentPolicyVersion - _options.MaxPolicyLag);
        var picked = mode switch
        {
            SamplingMode.Fifo => TakeFifo(count),
            SamplingMode.Uniform => TakeWeighted(count, (_, _) => 1.0),
            SamplingMode.Recency => TakeWeighted(count, (_, newer) => Math.Pow(0.5, newer / _options.RecencyHalfLife)),
            SamplingMode.Prioritised => TakeWeighted(count, (entry, _) => entry.Priority),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown sampling mode"),
        };
        _sampled += picked.Count;
        return new ReplaySample(picked, dropped);
    }

    /// <summary>Makes every trajectory added with durable: false durable, with one flush for them all (group commit).</summary>
    public void Commit() => _wal?.Flush();

    public void Dispose() => _wal?.Dispose();

    private void Apply(ReplayLogRecord record)
    {
        switch (record.Kind)
        {
            case ReplayLogKind.Stored when record.Stored is { } batch:
                if (_byId.ContainsKey(batch.TrajectoryId)) return; // a record written twice (crash between append and compaction)
                var entry = new Entry(_nextSequence++, batch, record.Priority);
                _bySequence.Add(entry.Sequence, entry);
                _byId.Add(batch.TrajectoryId, entry);
                _forgotten.Remove(batch.TrajectoryId);
                _stored++;
                while (_byId.Count > _options.Capacity)
                {
                    Remove(_bySequence.First().Value);
                    _evicted++;
                }
                break;
            case ReplayLogKind.Forgotten:
                foreach (var id in record.ForgottenIds)
                {
                    if (_byId.TryGetValue(id, out var held)) Remove(held);
                    else Remember(id);
                }
                break;
            default:
                throw new InvalidDataException($"replay log record of kind {record.Kind} without its trajectory");
        }
    }

    private int DropStale(long oldestAllowed)
    {
        var stale = _bySequence.Values
            .Where(e => e.Batch.OldestPolicyVersion >= 0 && e.Batch.OldestPolicyVersion < oldestAllowed)
            .ToList();
        if (stale.Count == 0) return 0;
        // Logged so a restart does not bring them back (and count them a second time).
        _wal?.Append(MessagePackSerializer.Serialize(
            ReplayLogRecord.ForForgotten([.. stale.Select(e => e.Batch.TrajectoryId)]), ClusterMessageCodec.Options));
        foreach (var entry in stale) Remove(entry);
        _droppedStale += stale.Count;
        return stale.Count;
    }

    private List<TrajectoryBatch> TakeFifo(int count)
    {
        var picked = _bySequence.Values.SkipWhile(e => e.Sequence < _fifoCursor).Take(count).ToList();
        if (picked.Count > 0) _fifoCursor = picked[^1].Sequence + 1;
        return [.. picked.Select(e => e.Batch)];
    }

    // Weighted sampling without replacement (Efraimidis–Spirakis): key = ln(u) / w, keep the largest keys.
    private List<TrajectoryBatch> TakeWeighted(int count, Func<Entry, int, double> weight)
    {
        var entries = _bySequence.Values.ToList();
        var keyed = new List<(double Key, Entry Entry)>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            int newer = entries.Count - 1 - i;
            double w = weight(entries[i], newer);
            double u = 1.0 - _rng.NextDouble(); // (0, 1]
            keyed.Add((w > 0 ? Math.Log(u) / w : double.NegativeInfinity, entries[i]));
        }
        return [.. keyed.OrderByDescending(k => k.Key).ThenBy(k => k.Entry.Sequence).Take(count).Select(k => k.Entry.Batch)];
    }

    private void Remove(Entry entry)
    {
        _bySequence.Remove(entry.Sequence);
        _byId.Remove(entry.Batch.TrajectoryId);
        Remember(entry.Batch.TrajectoryId);
    }

    private void Remember(Guid id)
    {
        if (_options.DedupHistory == 0 || !_forgotten.Add(id)) return;
        _forgottenOrder.Enqueue(id);
        while (_forgottenOrder.Count > _options.DedupHistory)
            _forgotten.Remove(_forgottenOrder.Dequeue());
    }

    // Evicted trajectories stay in the log until it is rewritten; rewrite once it holds twice the capacity.
    private void CompactIfLogIsLong()
    {
        if (_wal is null || _wal.RecordCount <= 2L * _options.Capacity + 16) return;
        var forgotten = ReplayLogRecord.ForForgotten([.. _forgottenOrder]);
        var held = _bySequence.Values.Select(e => ReplayLogRecord.ForStored(e.Batch, e.Priority));
        _wal.Rewrite(new[] { forgotten }.Concat(held).Select(r => MessagePackSerializer.Serialize(r, ClusterMessageCodec.Options)));
    }

    private static ReplayLogRecord Decode(byte[] bytes)
    {
        try
        {
            return MessagePackSerializer.Deserialize<ReplayLogRecord>(bytes, ClusterMessageCodec.Options);
        }
        catch (MessagePackSerializationException ex)
        {
            // The CRC matched, so these are the bytes we wrote: a format change, not disk damage. Never drop silently.
            throw new InvalidDataException("a replay log record passed its checksum but does not decode (written by an incompatible version?)", ex);
        }
    }

    private sealed record Entry(long Sequence, TrajectoryBatch Batch, double Priority);
}

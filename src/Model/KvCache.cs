using static TorchSharp.torch;

namespace RetroAct.Model;

/// <summary>
/// Preallocated per-layer key/value cache, shape [batch, kv_heads, capacity, head_dim]. Its tensors live across
/// decode steps, so they are detached from dispose scopes and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    /// <summary>Number of positions already written (the same for every sequence: batches are left-padded).</summary>
    public int Length { get; private set; }
    public int Capacity { get; }
    public int BatchSize { get; }

    public KvCache(LlamaConfig config, int batchSize, int capacity, Device device, ScalarType dtype)
    {
        BatchSize = batchSize;
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = zeros([batchSize, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([batchSize, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    private KvCache(Tensor[] keys, Tensor[] values, int length)
    {
        this.keys = keys;
        this.values = values;
        Length = length;
        BatchSize = (int)keys[0].shape[0];
        Capacity = (int)keys[0].shape[2];
    }

    /// <summary>
    /// A cache of <paramref name="batchSize"/> sequences that all begin with this one-sequence cache's positions: one
    /// prompt prefilled once, then several continuations scored after it in one batch.
    /// </summary>
    public KvCache Broadcast(int batchSize, int capacity)
    {
        if (BatchSize != 1) throw new InvalidOperationException($"only a cache of one sequence can be broadcast (this one holds {BatchSize})");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be >= 1");
        if (capacity < Length) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"must hold the {Length} cached positions");
        Tensor[] Copy(Tensor[] source) => source.Select(t =>
        {
            using var scope = NewDisposeScope(); // roots the views while copy_ runs (see RootedScalars)
            var copy = zeros([batchSize, t.shape[1], capacity, t.shape[3]], t.dtype, t.device).DetachFromDisposeScope();
            copy.narrow(2, 0, Length).copy_(t.narrow(2, 0, Length)); // broadcast over the batch
            return copy;
        }).ToArray();
        return new KvCache(Copy(keys), Copy(values), Length);
    }

    /// <summary>Writes this step's keys/values [B, kv_heads, T, hd] after the cached ones; returns views of all of them.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2];
        if (Length + t > Capacity)
            throw new InvalidOperationException($"KV cache capacity {Capacity} exceeded ({Length} cached + {t} new)");
        // Views created here belong to the caller's step scope; the storage they point into stays with the cache.
        keys[layer].narrow(2, Length, t).copy_(k);
        values[layer].narrow(2, Length, t).copy_(v);
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Called by the model once every layer has appended <paramref name="t"/> positions.</summary>
    internal void Advance(int t) => Length += t;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RetroAct.Model;

// A Llama-family decoder (Llama 2/3, Qwen2 with q/k/v biases, Mistral without sliding windows), written to
// follow Hugging Face's modeling_llama.py so its checkpoints load by name:
//   x = embed_tokens(ids)
//   for each block:  x = x + self_attn(input_layernorm(x));  x = x + mlp(post_attention_layernorm(x))
//   logits = lm_head(norm(x))            (lm_head = embed_tokens when tie_word_embeddings)
// The forward pass creates no dispose scope of its own: callers wrap each training or decode step in one.

/// <summary>Root-mean-square norm: x / sqrt(mean(x²) + eps) · weight, computed in fp32 like HF.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;
    private readonly Scalar epsScalar;

    public RmsNorm(string name, long dim, double eps, Device device, ScalarType dtype) : base(name)
    {
        weight = new Parameter(ones(dim, dtype, device));
        this.eps = eps;
        epsScalar = eps.ToScalar();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var xf = x.to_type(Precision.Upcast(x.dtype));
        var normed = xf * rsqrt(RootedScalars.Plus(xf.pow(RootedScalars.TwoInteger).mean([-1], keepdim: true), epsScalar));
        return weight * normed.to_type(x.dtype);
    }
}

/// <summary>Numeric precision helpers shared by the model's parts.</summary>
internal static class Precision
{
    /// <summary>Half types are upcast to fp32 for norms, softmax and logits; fp32/fp64 stay as they are.</summary>
    public static ScalarType Upcast(ScalarType t) => t == ScalarType.Float64 ? t : ScalarType.Float32;
}

/// <summary>Rotary position embedding in HF's "rotate half" layout (so HF q/k weights need no permutation).</summary>
public static class Rope
{
    /// <summary>
    /// cos and signed-sin tables [B, 1, T, head_dim] for integer positions [B, T]. The sin table's first half is
    /// negated so that rotate_half(x)·sin becomes roll(x, half)·signedSin: one op instead of four per use.
    /// </summary>
    public static (Tensor Cos, Tensor SignedSin) Tables(Tensor positions, int headDim, double theta, ScalarType dtype)
    {
        // HF computes the angles in fp32; an fp64 model (gradient checks) keeps them exact instead.
        var angleType = Precision.Upcast(dtype);
        var invFreq = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        var freqs = positions.to_type(angleType).unsqueeze(-1) * tensor(invFreq, angleType, positions.device);
        var sin = freqs.sin();
        var cos = freqs.cos();
        return (cat([cos, cos], -1).unsqueeze(1).to_type(dtype), cat([-sin, sin], -1).unsqueeze(1).to_type(dtype));
    }

    /// <summary>x·cos + rotate_half(x)·sin for x [B, heads, T, head_dim], where rotate_half(x) = [−x₂, x₁].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin) => RootedScalars.Plus(x * cos, x.roll(x.shape[^1] / 2, -1) * signedSin);
}

/// <summary>Multi-head self-attention with grouped key/value heads, rotary positions and an optional KV cache.</summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly AdaptableLinear q_proj, k_proj, v_proj, o_proj;
    private readonly int heads, kvHeads, headDim;

    public LlamaAttention(string name, LlamaConfig c, Device device, ScalarType dtype) : base(name)
    {
        heads = c.NumAttentionHeads;
        kvHeads = c.KeyValueHeads;
        headDim = c.HeadDim;
        q_proj = new AdaptableLinear("q_proj", c.HiddenSize, heads * headDim, c.AttentionBias, device, dtype);
        k_proj = new AdaptableLinear("k_proj", c.HiddenSize, kvHeads * headDim, c.AttentionBias, device, dtype);
        v_proj = new AdaptableLinear("v_proj", c.HiddenSize, kvHeads * headDim, c.AttentionBias, device, dtype);
        o_proj = new AdaptableLinear("o_proj", heads * headDim, c.HiddenSize, false, device, dtype);
        RegisterComponents();
    }

    /// <param name="mask">Boolean [B, 1, T, past+T] (true = may attend), or null.</param>
    /// <param name="causal">With a null mask: true applies a plain causal mask (no cached positions).</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, KvCache? cache, int layer)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = Rope.Apply(q_proj.forward(x).view(b, t, heads, headDim).transpose(1, 2), cos, sin);
        var k = Rope.Apply(k_proj.forward(x).view(b, t, kvHeads, headDim).transpose(1, 2), cos, sin);
        var v = v_proj.forward(x).view(b, t, kvHeads, headDim).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);
        Tensor y;
        if (heads != kvHeads && t == 1)
        {
            // Decoding one token: the query heads sharing a key/value head become that head's query rows, so the
            // cache is read in place instead of being copied heads/kvHeads times every step. A [B,1,1,S] mask
            // broadcasts over those rows unchanged.
            y = F.scaled_dot_product_attention(q.view(b, kvHeads, heads / kvHeads, headDim), k, v, attn_mask: mask)
                .view(b, heads, 1, headDim);
        }
        else
        {
            if (heads != kvHeads)
            {
                // Query head h reads key/value head h / (heads / kvHeads), as HF's repeat_kv does.
                k = k.repeat_interleave(heads / kvHeads, dim: 1);
                v = v.repeat_interleave(heads / kvHeads, dim: 1);
            }
            y = F.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: mask is null && causal);
        }
        return o_proj.forward(y.transpose(1, 2).reshape(b, t, heads * headDim));
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private readonly AdaptableLinear gate_proj, up_proj, down_proj;

    public LlamaMlp(string name, LlamaConfig c, Device device, ScalarType dtype) : base(name)
    {
        gate_proj = new AdaptableLinear("gate_proj", c.HiddenSize, c.IntermediateSize, false, device, dtype);
        up_proj = new AdaptableLinear("up_proj", c.HiddenSize, c.IntermediateSize, false, device, dtype);
        down_proj = new AdaptableLinear("down_proj", c.IntermediateSize, c.HiddenSize, false, device, dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down_proj.forward(F.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>One pre-norm decoder block.</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm, post_attention_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;

    public LlamaDecoderLayer(string name, LlamaConfig c, Device device, ScalarType dtype) : base(name)
    {
        input_layernorm = new RmsNorm("input_layernorm", c.HiddenSize, c.RmsNormEps, device, dtype);
        self_attn = new LlamaAttention("self_attn", c, device, dtype);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", c.HiddenSize, c.RmsNormEps, device, dtype);
        mlp = new LlamaMlp("mlp", c, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, KvCache? cache, int layer)
    {
        var h = RootedScalars.Plus(x, self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, causal, cache, layer));
        return RootedScalars.Plus(h, mlp.forward(post_attention_layernorm.forward(h)));
    }
}

/// <summary>Embedding + decoder blocks + final norm (HF's LlamaModel; its parameters are named "model.*").</summary>
public sealed class LlamaBackbone : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;

    public LlamaBackbone(string name, LlamaConfig c, Device device, ScalarType dtype) : base(name)
    {
        embed_tokens = nn.Embedding(c.VocabSize, c.HiddenSize, device: device, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, c.NumHiddenLayers).Select(i => new LlamaDecoderLayer($"{i}", c, device, dtype)).ToArray());
        norm = new RmsNorm("norm", c.HiddenSize, c.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    internal Parameter EmbeddingWeight => embed_tokens.weight!;

    public Tensor Forward(Tensor ids, Tensor cos, Tensor sin, Tensor? mask, bool causal, KvCache? cache)
    {
        var x = embed_tokens.forward(ids);
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, cos, sin, mask, causal, cache, i);
        return norm.forward(x);
    }
}

/// <summary>The causal language model: backbone + output head; logits come back in fp32 (fp64 for fp64 models).</summary>
public sealed class LlamaForCausalLM : nn.Module<Tensor, Tensor>
{
    private readonly LlamaBackbone model;
    private readonly AdaptableLinear? lm_head;

    public LlamaConfig Config { get; }
    public Device Device { get; }
    public ScalarType DType { get; }

    /// <param name="device">Chosen once; every parameter is created there.</param>
    /// <param name="dtype">Null picks fp32 on CPU and bf16/fp16 on CUDA (<see cref="TorchDevice.DefaultDType"/>).</param>
    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null, long? seed = null)
        : base("LlamaForCausalLM")
    {
        Config = config.Validate();
        Device = device ?? TorchDevice.Default;
        DType = dtype ?? TorchDevice.DefaultDType(Device);
        model = new LlamaBackbone("model", config, Device, DType);
        if (!config.TieWordEmbeddings)
            lm_head = new AdaptableLinear("lm_head", config.HiddenSize, config.VocabSize, false, Device, DType);
        RegisterComponents();
        Initialise(seed);
    }

    private void Initialise(long? seed)
    {
        using var generator = seed is null ? null : new Generator((ulong)seed.Value, Device);
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(RootedScalars.One);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0.0, Config.InitializerRange, generator);
        }
    }

    /// <summary>Plain causal forward: ids [B, T] → logits [B, T, vocab].</summary>
    public override Tensor forward(Tensor inputIds) => Forward(inputIds);

    /// <summary>
    /// Forward with optional padding and cache. <paramref name="attentionMask"/> is HF's [B, past + T] key mask
    /// (1 = real token, 0 = padding), covering cached positions too; positions then count real tokens only,
    /// so a left-padded sequence sees exactly the positions it would see alone. With
    /// <paramref name="lastPositionOnly"/> only the last position goes through the head (logits [B, 1, vocab]):
    /// generation needs no more, and the head dominates the prefill cost for large vocabularies.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null, Tensor? positionIds = null,
        bool lastPositionOnly = false)
    {
        long b = inputIds.shape[0], t = inputIds.shape[1];
        int past = cache?.Length ?? 0;
        if (attentionMask is not null && (attentionMask.shape.Length != 2 || attentionMask.shape[0] != b || attentionMask.shape[1] != past + t))
            throw new ArgumentException($"attention mask shape [{string.Join(", ", attentionMask.shape)}] must be [{b}, {past + t}] (cached + new positions)");
        if (cache is not null && cache.BatchSize != b)
            throw new ArgumentException($"KV cache holds {cache.BatchSize} sequences but the input has {b}");
        var positions = positionIds
            ?? (attentionMask is not null
                ? RootedScalars.Plus(attentionMask.to_type(ScalarType.Int64).cumsum(1), RootedScalars.MinusOneInteger).clamp_min(RootedScalars.ZeroInteger).narrow(1, past, t)
                : arange(past, past + t, dtype: ScalarType.Int64, device: Device).unsqueeze(0).expand(b, t));
        var (cos, sin) = Rope.Tables(positions, Config.HeadDim, Config.RopeTheta, DType);

        Tensor? mask = null;
        bool causal = past == 0 && t > 1;
        if (attentionMask is not null || (past > 0 && t > 1))
            mask = BuildMask(attentionMask, b, t, past);
        var hidden = model.Forward(inputIds, cos, sin, mask, causal, cache);
        cache?.Advance((int)t);
        if (lastPositionOnly) hidden = hidden.narrow(1, t - 1, 1);
        var logits = lm_head is null ? F.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);
        return logits.to_type(Precision.Upcast(DType));
    }

    /// <summary>Boolean [B, 1, T, past+T]: causal over absolute indices, minus padded keys.</summary>
    private Tensor BuildMask(Tensor? keyMask, long b, long t, int past)
    {
        var queryIndex = arange(past, past + t, device: Device).unsqueeze(1);
        var keyIndex = arange(0, past + t, device: Device).unsqueeze(0);
        var allowed = keyIndex.le(queryIndex).unsqueeze(0).unsqueeze(0); // [1, 1, T, K]
        if (keyMask is null) return allowed;
        allowed = allowed.logical_and(keyMask.to_type(ScalarType.Bool).view(b, 1, 1, past + t));
        // A padding query would otherwise attend to nothing (softmax of all -inf = NaN); letting it see itself
        // keeps the numbers finite. Real tokens never attend to padding, so their outputs are unaffected.
        return allowed.logical_or(keyIndex.eq(queryIndex).unsqueeze(0).unsqueeze(0));
    }

    /// <summary>A cache sized for this model; dispose it when the generation is over.</summary>
    public KvCache NewCache(int batchSize, int capacity) => new(Config, batchSize, capacity, Device, DType);
}

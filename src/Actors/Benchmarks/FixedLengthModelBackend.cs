using RetroAct.Actors.Inference;
using RetroAct.Model;
using RetroAct.Model.Generation;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Benchmarks;

/// <summary>
/// A real model behind a PolicyServer, for measuring generation throughput: a randomly initialised
/// <see cref="LlamaForCausalLM"/> that answers every request with exactly <paramref name="newTokens"/> sampled tokens
/// (temperature 1, KV cache, no stop string), so every run generates the same number of tokens whatever the
/// weights say. Prompts become token ids character by character (no tokenizer file needed).
/// </summary>
public sealed class FixedLengthModelBackend(LlamaConfig config, int newTokens, long seed) : IPolicyBackend
{
    private readonly LlamaForCausalLM _model = new(config, TorchDevice.Default, seed: seed);
    private long _calls;

    public long Version => 0;

    /// <summary>Generation calls (batches) so far.</summary>
    public long Batches { get; private set; }

    /// <summary>Requests answered so far.</summary>
    public long Requests { get; private set; }

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
    {
        var prompts = requests.Select(r => r.Prompt.Select(c => c % config.VocabSize).ToArray()).ToList();
        var options = new GenerationOptions { MaxNewTokens = newTokens, Temperature = 1.0, Seed = seed * 1_000_003 + _calls++, UseKvCache = true };
        var generated = TextGenerator.Generate(_model, prompts, options);
        Batches++;
        Requests += requests.Count;
        return [.. generated.Select(g => new AgentText($"{g.Tokens.Length} tokens") { TokenIds = g.Tokens, BehaviourLogProbs = g.LogProbs, PolicyVersion = Version })];
    }

    public void LoadWeights(long version, byte[] blob) =>
        throw new NotSupportedException("the generation benchmark's backend keeps its random weights");

    public void Dispose() => _model.Dispose();
}

using RetroAct.Model.Generation;
using RetroAct.Model.Tokenizers;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;

namespace RetroAct.Learner.Policy;

/// <summary>Decoding settings of a policy: temperature 1 for RL collection, 0 (greedy) for evaluation.</summary>
/// <param name="PlannerMaxTokens">Most tokens of one planner turn (a command or a thought).</param>
/// <param name="ReflectorMaxTokens">Most tokens of one reflection.</param>
/// <param name="AdmissibleOnly">Planner turns write a thought or one of the environment's admissible commands (when it
/// lists them): constrained decoding, token by token, so the planner cannot write a command that does not exist. When
/// sampling, the behaviour log-probabilities are those of the constrained (renormalised) distribution.</param>
/// <param name="RankAdmissible">Greedy only. Planner turns choose the most likely of "a thought" and each whole admissible
/// command, by the model's total log-probability (one prefill, then the commands scored in one batch); a thought is then
/// written greedily. Unlike token-by-token constraints, a command whose first token is likely but whose object is
/// not there loses to the command the model wanted as a whole.</param>
public sealed record SamplingSettings(double Temperature, int PlannerMaxTokens = 48, int ReflectorMaxTokens = 160, double TopP = 1.0, long Seed = 0,
                                      bool AdmissibleOnly = false, bool RankAdmissible = false)
{
    public static SamplingSettings Greedy { get; } = new(0);
}

/// <summary>
/// <see cref="ITextPolicy"/> over local TorchSharp models: tokenises each prompt (keeping its last tokens when it is
/// longer than the context allows), generates one line per request in batches per role, and returns the sampled
/// tokens with their behaviour log-probabilities and the current policy version.
/// </summary>
public sealed class ModelPolicy : ITextPolicy
{
    private readonly AgentModels models;
    private readonly ITokenizer tokenizer;
    private readonly SamplingSettings sampling;
    private long _calls;
    private int[]? _thoughtOpening;

    public ModelPolicy(AgentModels models, ITokenizer tokenizer, SamplingSettings sampling)
    {
        if (sampling.RankAdmissible && sampling.Temperature != 0)
            throw new ArgumentException($"ranked decoding is greedy and needs temperature 0 (got {sampling.Temperature}); RL collection samples with free or admissible decoding");
        this.models = models;
        this.tokenizer = tokenizer;
        this.sampling = sampling;
    }

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
    {
        var answers = new AgentText[requests.Count];
        foreach (AgentRole role in new[] { AgentRole.Planner, AgentRole.Reflector })
        {
            int[] indices = Enumerable.Range(0, requests.Count).Where(i => requests[i].Role == role).ToArray();
            if (indices.Length == 0) continue;
            using var active = models.Use(role);
            var model = models.For(role);
            int maxNew = role == AgentRole.Planner ? sampling.PlannerMaxTokens : sampling.ReflectorMaxTokens;
            if (role == AgentRole.Planner && sampling.RankAdmissible)
            {
                indices = RankAdmissible(requests, indices, model, maxNew, answers);
                if (indices.Length == 0) continue;
            }
            var prompts = indices.Select(i => PromptTokens(tokenizer, requests[i].Prompt, model.Config.MaxPositionEmbeddings - maxNew)).ToList();
            var constraints = role == AgentRole.Planner && sampling.AdmissibleOnly
                ? indices.Select(i => Constraint(requests[i].Admissible)).ToArray()
                : null;
            var options = new GenerationOptions
            {
                MaxNewTokens = maxNew,
                Temperature = sampling.Temperature,
                TopP = sampling.TopP,
                // A fresh, reproducible stream per call: the same seed and call order give the same tokens.
                Seed = sampling.Seed * 1_000_003 + _calls++,
                StopStrings = ["\n"],
                Decode = ids => tokenizer.Decode(ids),
                AllowedNextTokens = constraints is null ? null : (row, generated) => constraints[row]?.AllowedNext(generated),
            };
            var generated = TextGenerator.Generate(model, prompts, options);
            for (int j = 0; j < indices.Length; j++)
            {
                answers[indices[j]] = Answer(generated[j].Tokens, generated[j].LogProbs);
            }
        }
        return answers;
    }

    /// <summary>
    /// Ranked decoding of the planner requests that list admissible commands: each gets the most likely of its commands
    /// and the thought opening; thoughts are then completed greedily in one batch. Returns the requests left for
    /// ordinary decoding (those without admissible commands).
    /// </summary>
    private int[] RankAdmissible(IReadOnlyList<GenerationRequest> requests, int[] indices, Model.LlamaForCausalLM model, int maxNew, AgentText[] answers)
    {
        int[] opening = ThoughtOpening();
        int budget = model.Config.MaxPositionEmbeddings - maxNew;
        var thinking = new List<(int Index, int[] Prompt, float[] OpeningScores)>();
        foreach (int i in indices.Where(i => requests[i].Admissible is { Count: > 0 }))
        {
            int[] prompt = PromptTokens(tokenizer, requests[i].Prompt, budget);
            var choices = requests[i].Admissible!.Select(c => tokenizer.Encode(c + "\n")).Append(opening).ToList();
            var scores = Model.Scoring.ChoiceScorer.Score(model, prompt, choices);
            int best = Model.Scoring.ChoiceScorer.Best(scores);
            if (best < choices.Count - 1)
                answers[i] = Answer(choices[best], scores[best]);
            else
                thinking.Add((i, prompt, scores[best]));
        }
        if (thinking.Count > 0)
        {
            var options = new GenerationOptions
            {
                MaxNewTokens = Math.Max(1, maxNew - opening.Length),
                Temperature = 0,
                Seed = sampling.Seed * 1_000_003 + _calls++,
                StopStrings = ["\n"],
                Decode = ids => tokenizer.Decode(ids),
            };
            var thoughts = TextGenerator.Generate(model, thinking.Select(t => t.Prompt.Concat(opening).ToArray()).ToList(), options);
            for (int j = 0; j < thinking.Count; j++)
                answers[thinking[j].Index] = Answer([.. opening, .. thoughts[j].Tokens], [.. thinking[j].OpeningScores, .. thoughts[j].LogProbs]);
        }
        return indices.Where(i => requests[i].Admissible is not { Count: > 0 }).ToArray();
    }

    private AgentText Answer(int[] tokens, float[] logProbs) =>
        new(tokenizer.Decode(tokens)) { TokenIds = tokens, BehaviourLogProbs = logProbs, PolicyVersion = models.Version };

    /// <summary>A thought ("think:" and anything after it) or exactly one admissible command and its newline.</summary>
    private TokenPrefixConstraint? Constraint(IReadOnlyList<string>? admissible) =>
        admissible is null or { Count: 0 }
            ? null
            : new TokenPrefixConstraint(admissible.Select(c => tokenizer.Encode(c + "\n")).ToList(), [ThoughtOpening()]);

    /// <summary>The tokens that begin a thought as the tokenizer splits one in context (merges may span "think: ").</summary>
    private int[] ThoughtOpening()
    {
        if (_thoughtOpening is not null) return _thoughtOpening;
        int[] ids = tokenizer.Encode("think: To");
        int length = 1;
        // Up to and including the colon: "think" alone would let a model write "thinking…", which is sent as a command.
        while (length < ids.Length && !tokenizer.Decode(ids[..length]).StartsWith("think:", StringComparison.Ordinal)) length++;
        return _thoughtOpening = ids[..length];
    }

    /// <summary>
    /// The prompt's tokens, keeping the last <paramref name="budget"/> when it is too long: the end of the prompt
    /// (recent history and the turn marker) matters most. The learner re-tokenises prompts with the same function.
    /// </summary>
    public static int[] PromptTokens(ITokenizer tokenizer, string prompt, int budget)
    {
        if (budget < 1) throw new ArgumentException($"no room for a prompt: the context is too short for the generation budget");
        int[] ids = tokenizer.Encode(prompt);
        return ids.Length <= budget ? ids : ids[^budget..];
    }
}

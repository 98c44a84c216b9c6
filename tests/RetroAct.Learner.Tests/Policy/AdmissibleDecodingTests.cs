using RetroAct.Environments.Household;
using RetroAct.Environments.Household.Agents;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Learner.Tests.Policy;

/// <summary>Greedy decoding restricted to the real household environment's admissible commands (or a thought).</summary>
public class AdmissibleDecodingTests
{
    private static readonly ITokenizer Tokenizer = CompactTokenizerTrainer.Train(
        Enumerable.Range(0, 12).Select(i =>
        {
            using var env = new HouseholdEnvironment(new HouseholdOptions());
            var opening = env.Reset(ExpertEvaluation.GameTask("train", 5, i)).Observation;
            return opening + "\n> go to countertop 1\nNothing happens.\n> think: Now I find a mug 1. Next, I need to take it.\nOK.\n";
        }),
        new CompactTrainerOptions(VocabSize: 420));

    private static AgentModels TinyModels(long seed) => AgentModels.Create(
        LlamaConfig.Preset("1m") with { VocabSize = Tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 160, NumHiddenLayers = 2, MaxPositionEmbeddings = 1024 },
        RoleSharing.TwoModels, seed);

    private static (int Refused, int Commands) Play(bool admissibleOnly, long seed, bool ranked = false)
    {
        using var models = TinyModels(seed);
        var policy = new ModelPolicy(models, Tokenizer, SamplingSettings.Greedy with { PlannerMaxTokens = 40, AdmissibleOnly = admissibleOnly, RankAdmissible = ranked });
        var runner = new BatchedEpisodeRunner(() => new HouseholdEnvironment(new HouseholdOptions()), policy,
            new MultiTrialOptions(Trials: 1, MaxTurnsPerTrial: 4), useReflector: false)
        {
            PlannerPrompt = PlannerPrompt.Household with { HistoryWindow = 4 },
            MaxConcurrentEpisodes = 3,
        };
        var tasks = Enumerable.Range(0, 3).Select(i => ExpertEvaluation.GameTask("unseen", 8, i)).ToList();
        var commands = runner.Run(tasks).SelectMany(e => e.Trials).SelectMany(t => t.Turns)
            .Where(t => !ActionParser.Parse(t.Action).IsThought).ToList();
        return (commands.Count(t => t.Observation == HouseholdText.NothingHappens), commands.Count);
    }

    [Fact]
    public void AnUntrainedPlannerWritesOnlyCommandsThatExistWhereItStands()
    {
        // Several random planners: one may prefer to open a thought (always allowed) on every turn.
        var seeds = new long[] { 11, 12, 13, 14 };
        var free = seeds.Select(s => Play(admissibleOnly: false, s)).ToList();
        var constrained = seeds.Select(s => Play(admissibleOnly: true, s)).ToList();
        Assert.True(free.Sum(f => f.Refused) > free.Sum(f => f.Commands) / 2,
            $"untrained planners decoding freely had {free.Sum(f => f.Refused)} of {free.Sum(f => f.Commands)} commands refused; this test needs them to babble");
        Assert.True(constrained.Sum(c => c.Commands) > 0, "admissible decoding wrote only thoughts");
        Assert.Equal(0, constrained.Sum(c => c.Refused));
    }

    [Fact]
    public void RankedDecodingAlsoWritesOnlyCommandsThatExist()
    {
        var ranked = new long[] { 11, 12, 13, 14 }.Select(s => Play(admissibleOnly: false, s, ranked: true)).ToList();
        Assert.True(ranked.Sum(c => c.Commands) > 0, "ranked decoding wrote only thoughts");
        Assert.Equal(0, ranked.Sum(c => c.Refused));
    }

    [Fact]
    public void RankedDecodingAnswersTheMostLikelyWholeCommandOrAThought()
    {
        using var env = new HouseholdEnvironment(new HouseholdOptions());
        var step = env.Reset(ExpertEvaluation.GameTask("unseen", 8, 0));
        var admissible = env.AdmissibleActions!.ToList();
        string prompt = step.Observation + "\n> ";
        foreach (long seed in new long[] { 21, 22, 23, 24, 25, 26 })
        {
            using var models = TinyModels(seed);
            var policy = new ModelPolicy(models, Tokenizer, SamplingSettings.Greedy with { PlannerMaxTokens = 40, RankAdmissible = true });
            var answer = policy.Generate([new GenerationRequest(AgentRole.Planner, prompt, admissible)])[0];

            // The same ranking, computed the slow way: each choice teacher-forced after the whole prompt.
            int[] promptIds = Tokenizer.Encode(prompt);
            int[] opening = Tokenizer.Encode("think: To")[..ThoughtOpeningLength()];
            var choices = admissible.Select(c => Tokenizer.Encode(c + "\n")).Append(opening).ToArray();
            var scores = Model.Scoring.SequenceScorer.ScoreContinuations(models.Planner, choices.Select(_ => promptIds).ToArray(), choices);
            var totals = scores.Select(s => s.Sum()).ToArray();
            int best = Array.IndexOf(totals, totals.Max());
            if (best < admissible.Count)
            {
                Assert.Equal(admissible[best] + "\n", answer.Text);
                Assert.Equal(choices[best], answer.TokenIds);
            }
            else
            {
                Assert.StartsWith("think:", answer.Text);
                Assert.Equal(opening, answer.TokenIds[..opening.Length]);
            }
            Assert.Equal(answer.TokenIds.Length, answer.BehaviourLogProbs.Length);
            for (int t = 0; t < Math.Min(choices[best].Length, answer.TokenIds.Length); t++)
                Assert.True(Math.Abs(scores[best][t] - answer.BehaviourLogProbs[t]) <= 1e-4);
        }
    }

    [Fact]
    public void RankedDecodingRefusesToSample()
    {
        using var models = TinyModels(1);
        var error = Assert.Throws<ArgumentException>(() => new ModelPolicy(models, Tokenizer, new SamplingSettings(1.0, RankAdmissible: true)));
        Assert.Contains("temperature 0", error.Message);
    }

    /// <summary>Tokens of "think:" as the policy finds them (merges may join the colon to the next word).</summary>
    private static int ThoughtOpeningLength()
    {
        int[] ids = Tokenizer.Encode("think: To");
        int length = 1;
        while (length < ids.Length && !Tokenizer.Decode(ids[..length]).StartsWith("think:", StringComparison.Ordinal)) length++;
        return length;
    }
}

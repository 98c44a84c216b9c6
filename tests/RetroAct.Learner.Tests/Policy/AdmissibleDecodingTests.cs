using RetroAct.Environments.Household;
using RetroAct.Environments.Household.Agents;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
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

    private static (int Refused, int Commands) Play(bool admissibleOnly, long seed)
    {
        using var models = AgentModels.Create(
            LlamaConfig.Preset("1m") with { VocabSize = Tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 160, NumHiddenLayers = 2, MaxPositionEmbeddings = 1024 },
            RoleSharing.TwoModels, seed);
        var policy = new ModelPolicy(models, Tokenizer, SamplingSettings.Greedy with { PlannerMaxTokens = 40, AdmissibleOnly = admissibleOnly });
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
}

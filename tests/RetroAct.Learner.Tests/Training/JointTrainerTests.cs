using RetroAct.Core.Environments;
using RetroAct.Learner.Losses;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Training;
using RetroAct.Model;
using RetroAct.Model.Scoring;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Imitation;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Learner.Tests.Training;

/// <summary>The learner on a tiny model: the pieces of the serial driver working together.</summary>
public class JointTrainerTests
{
    private static readonly ITokenizer Tokenizer = DoorWorld.Tokenizer;

    private static AgentModels TinyModels(long seed) => AgentModels.Create(
        LlamaConfig.Preset("1m") with { VocabSize = Tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 160, NumHiddenLayers = 2, MaxPositionEmbeddings = 256 },
        RoleSharing.TwoModels, seed);

    private static SampleBuilder Builder(SamplingSettings sampling) => DoorWorld.Builder(sampling);

    [Fact]
    public void OnPolicySamplesHaveUnitImportanceWeights()
    {
        using var models = TinyModels(seed: 1);
        var sampling = new SamplingSettings(Temperature: 1.0, PlannerMaxTokens: 8, ReflectorMaxTokens: 12, Seed: 5);
        var options = DoorWorld.AllSamples;
        var rl = DoorWorld.RlSamples(models, sampling);
        Assert.Contains(rl, s => s.Role == AgentRole.Planner);
        Assert.Contains(rl, s => s.Role == AgentRole.Reflector);

        using var trainer = new JointTrainer(models, new OptimizerSettings(LearningRate: 1e-4, WarmupSteps: 0), totalSteps: 1);
        var stats = trainer.RetroActStep(rl, [], options).Values;

        // The learner re-renders and re-tokenises every prompt and scores the sampled tokens: on-policy, every ratio
        // π_θ/π_beh must be 1, so nothing is clipped. Any mismatch of prompts, truncation or scoring breaks this.
        Assert.Equal(1.0, stats["w_mean_planner"], 3);
        Assert.Equal(0.0, stats["w_clipped_planner"]);
        Assert.Equal(1.0, stats["w_mean_reflector"], 3);
        Assert.Equal(0.0, stats["w_clipped_reflector"]);
    }

    [Fact]
    public void ImitationStepsLearnTheExpertAction()
    {
        using var models = TinyModels(seed: 2);
        var builder = Builder(SamplingSettings.Greedy);
        string prompt = PlannerPrompt.Household.Render(new Rollout.Agents.TrialContext("You face a door.\nYour task is to: open the door.", [], 1), []);
        var example = new ImitationExample(ImitationExample.PlannerRole, "door", 1, prompt, [new TextSegment("open door\n", true)]);
        var batch = Enumerable.Repeat(builder.FromImitation(example, agentTokensOnly: true), 4).ToList();
        using var trainer = new JointTrainer(models, new OptimizerSettings(LearningRate: 3e-3, WarmupSteps: 0), totalSteps: 60);

        double first = trainer.ImitationStep(batch).Values["loss"];
        double last = first;
        for (int i = 0; i < 59; i++) last = trainer.ImitationStep(batch).Values["loss"];

        Assert.True(last < first * 0.1, $"loss {first:F3} → {last:F3}");
        var policy = new ModelPolicy(models, Tokenizer, SamplingSettings.Greedy with { PlannerMaxTokens = 8 });
        var answer = policy.Generate([new Rollout.Agents.GenerationRequest(AgentRole.Planner, prompt)]).Single();
        Assert.Equal("open door", ActionParser.Parse(answer.Text).Text);
    }

    [Fact]
    public void PositiveRewardRaisesAndNegativeRewardLowersTheSampleLogProb()
    {
        foreach (double reward in new[] { 1.0, -1.0 })
        {
            using var models = TinyModels(seed: 3);
            int[] prompt = Tokenizer.Encode("Here is the task:\n> ");
            int[] output = Tokenizer.Encode("look\n");
            float[] behaviour = SequenceScorer.ScoreContinuations(models.Planner, [prompt], [output])[0];
            var sample = new TrainingSample(AgentRole.Planner, prompt, output, Enumerable.Repeat(true, output.Length).ToArray())
            {
                Reward = reward,
                BehaviourLogProbs = behaviour,
            };
            using var trainer = new JointTrainer(models, new OptimizerSettings(LearningRate: 1e-3, WarmupSteps: 0), totalSteps: 5);
            for (int i = 0; i < 5; i++) trainer.RetroActStep([sample], [], new RetroActLossOptions { DropZeroRewardPlannerSamples = false });

            double after = SequenceScorer.ScoreContinuations(models.Planner, [prompt], [output])[0].Sum();
            if (reward > 0) Assert.True(after > behaviour.Sum(), $"R = 1: log π {behaviour.Sum():F3} → {after:F3}");
            else Assert.True(after < behaviour.Sum(), $"R = −1: log π {behaviour.Sum():F3} → {after:F3}");
        }
    }
}

using RetroAct.Core.Environments;
using RetroAct.Learner.Losses;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Training;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Learner.Tests;

/// <summary>A one-room world for learner tests: "open door" wins; any other command does nothing; at most 3 steps.</summary>
internal sealed class DoorEnvironment : ITextEnvironment
{
    private int _steps;
    public EnvironmentInfo Info { get; } = new("door", 3, ["train"], ["door"]);
    public IReadOnlyList<string>? AdmissibleActions => null;
    public StepResult Reset(TaskSpec task) { _steps = 0; return new("You face a door.\nYour task is to: open the door.", 0, false, false); }
    public StepResult Step(string action)
    {
        bool won = action == "open door";
        return new StepResult(won ? "The door opens." : "Nothing happens.", won ? 1 : 0, won || ++_steps >= 3, won);
    }
    public void Dispose() { }
}

/// <summary>The tokenizer of the door world's text, and RL samples of episodes played in it.</summary>
internal static class DoorWorld
{
    /// <summary>Zero-reward samples kept and no IL term, so every sampled turn of both roles becomes an RL sample.</summary>
    public static readonly RetroActLossOptions AllSamples = new() { DropZeroRewardPlannerSamples = false, Lambda = 0 };

    public static SampleBuilder Builder(SamplingSettings sampling) =>
        new(Tokenizer, PlannerPrompt.Household, ReflectorPrompt.Household, memorySize: 3, sampling, contextLength: 256);

    /// <summary>Three two-trial episodes played by <paramref name="models"/> at <paramref name="sampling"/>, as RL samples (<see cref="AllSamples"/>).</summary>
    public static List<TrainingSample> RlSamples(AgentModels models, SamplingSettings sampling)
    {
        var runner = new BatchedEpisodeRunner(() => new DoorEnvironment(), new ModelPolicy(models, Tokenizer, sampling),
            new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 3), useReflector: true) { MaxConcurrentEpisodes = 3 };
        var episodes = runner.Run(Enumerable.Range(0, 3).Select(i => new TaskSpec("door", "train", i)).ToList());
        return episodes.SelectMany(e => Builder(sampling).FromEpisode(e, AllSamples)).ToList();
    }

    public static readonly ITokenizer Tokenizer = CompactTokenizerTrainer.Train(
        Enumerable.Repeat("Interact with a household to solve a task.\nHere is the task:\nYou face a door.\nYour task is to: open the door.\n> open door\nThe door opens.\nNothing happens.\nlook\n", 20),
        new CompactTrainerOptions(VocabSize: 400));
}

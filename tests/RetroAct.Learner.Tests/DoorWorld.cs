using RetroAct.Core.Environments;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;

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

/// <summary>The tokenizer of the door world's text.</summary>
internal static class DoorWorld
{
    public static readonly ITokenizer Tokenizer = CompactTokenizerTrainer.Train(
        Enumerable.Repeat("Interact with a household to solve a task.\nHere is the task:\nYou face a door.\nYour task is to: open the door.\n> open door\nThe door opens.\nNothing happens.\nlook\n", 20),
        new CompactTrainerOptions(VocabSize: 400));
}

using Akka.Actor;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;
using RetroAct.Learner.Training;
using RetroAct.Model.Tokenizers.Compact;

namespace RetroAct.Actors.Learning;

/// <summary>How often the actor learner evaluates, checkpoints and re-asks the replay buffer.</summary>
public sealed record LearnerOptions
{
    /// <summary>Evaluate IR/FR/AR on the held-out tasks every this many policy versions (and always after the last update).</summary>
    public int EvalEveryVersions { get; init; } = 1;

    /// <summary>Write a checkpoint every this many policy versions (and always after the last update).</summary>
    public int CheckpointEveryVersions { get; init; } = 1;

    /// <summary>Pause before asking the replay buffer again when it held too few trajectories.</summary>
    public TimeSpan SampleRetry { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>
/// Everything the learner actor starts from once the imitation stage is done. Local only: it holds the models (which
/// the learner owns from then on, and disposes), the run directory and the training suite.
/// </summary>
/// <param name="InitialResults">Stage results so far (the imitation stage), first in evaluation.json.</param>
/// <param name="Finished">Completed with every stage's result after the last update (or failed with the learner's error).</param>
/// <param name="ResumedFrom">The learner state of the checkpoint this run resumes from (the models were loaded from it); null for a fresh start.</param>
/// <param name="Stopping">Cancelled when the run is asked to stop (Ctrl-C, SIGTERM): an evaluation under way ends before its
/// next generation round instead of playing all its episodes first.</param>
public sealed record LearnerSetup(
    TrainingConfig Config,
    ITrainingSuite Suite,
    RunDirectory Run,
    AgentModels Models,
    CompactTokenizer Tokenizer,
    SampleBuilder Builder,
    IReadOnlyList<TrainingSample> Imitation,
    IReadOnlyList<StageResult> InitialResults,
    LearnerOptions Options,
    Action<string> Report,
    TaskCompletionSource<IReadOnlyList<StageResult>> Finished,
    LearnerState? ResumedFrom = null,
    CancellationToken Stopping = default);

/// <summary>The actors the learner talks to.</summary>
public sealed record LearnerPeers(IActorRef Replay, IActorRef Dispatcher, IActorRef WeightStore, IActorRef Metrics);

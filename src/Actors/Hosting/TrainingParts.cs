using System.Text.Json;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;
using RetroAct.Learner.Training;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Imitation;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// The pieces every actor runtime (embedded or a cluster node) builds from the training configuration: the
/// imitation stage through the serial code path, the learner's starting state from the "imitation" checkpoint, the
/// rollout nodes' settings and their policy backends, the replay buffer's options.
/// </summary>
public sealed class TrainingParts(TrainingConfig config, ITrainingSuite suite, RunDirectory run, ActorRuntimeOptions options, Action<string> report)
{
    /// <summary>Where the imitation stage leaves the agent the RL stage starts from.</summary>
    public string ImitationCheckpoint => Path.Combine(run.CheckpointsPath, "imitation");

    /// <summary>Whether the configuration has an RL stage at all (sft does not).</summary>
    public bool HasRlStage => config.Algo != "sft" && config.Rl.Iterations > 0;

    /// <summary>
    /// The imitation stage exactly as the serial trainer runs it (data, tokenizer, IL epochs, evaluation, the
    /// "imitation" checkpoint, evaluation.json), by running it with no RL iteration. <paramref name="cancel"/> stops it
    /// between two steps (<see cref="OperationCanceledException"/>).
    /// </summary>
    public IReadOnlyList<StageResult> RunImitation(CancellationToken cancel = default)
    {
        var imitationOnly = JsonSerializer.Deserialize<TrainingConfig>(JsonSerializer.Serialize(config))
                            ?? throw new InvalidOperationException("the training configuration did not survive a copy");
        imitationOnly.Rl.Iterations = 0;
        return new SerialTrainer(imitationOnly, suite, run, report, cancel).Run();
    }

    /// <summary>
    /// <see cref="RunImitation"/>, then, when there is an RL stage, <see cref="Learner"/> (null otherwise): the two steps
    /// that run before the actors start, for one short-lived thread (ThreadOfItsOwn).
    /// </summary>
    public (IReadOnlyList<StageResult> Imitation, LearnerSetup? Learner) ImitationAndLearner(TaskCompletionSource<IReadOnlyList<StageResult>> finished,
                                                                                              CancellationToken cancel = default)
    {
        var imitation = RunImitation(cancel);
        return (imitation, HasRlStage ? Learner(imitation, finished) : null);
    }

    /// <summary>The learner's starting state: models and tokenizer from the imitation checkpoint, the IL samples of the regulariser.</summary>
    public LearnerSetup Learner(IReadOnlyList<StageResult> imitationResults, TaskCompletionSource<IReadOnlyList<StageResult>> finished) =>
        LearnerFrom(ImitationCheckpoint, imitationResults, finished, resumedFrom: null);

    /// <summary>
    /// The learner's state after a crash: models, tokenizer and learner state from the checkpoint latest.txt names
    /// (the imitation stage is not run again; the replay buffer re-reads its own log). No checkpoint, or a corrupt
    /// one, is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public LearnerSetup ResumeLearner(TaskCompletionSource<IReadOnlyList<StageResult>> finished)
    {
        var point = LearnerCheckpoints.FindLatest(run.Path);
        if (!File.Exists(Path.Combine(ImitationCheckpoint, AgentCheckpoint.InfoFile)))
            throw new InvalidDataException($"cannot resume: the imitation checkpoint {ImitationCheckpoint} is missing (rollout nodes start from it)");
        report($"resuming from checkpoint {point.Folder} (policy version {point.State.PolicyVersion}, learner epoch {point.State.Epoch})");
        if (point.State.PolicyVersion >= config.Rl.Iterations)
            report($"the run already finished its {config.Rl.Iterations} RL iterations: nothing to train; its results stay as they are");
        // The stages evaluated up to the checkpoint stay in evaluation.json; any evaluated after it are evaluated again.
        var earlier = EvaluationFile.Read(run.Path).Where(r => CheckpointRetention.RlIteration(r.Stage) is not { } n || n <= point.State.PolicyVersion).ToList();
        return LearnerFrom(point.Folder, earlier, finished, point.State);
    }

    private LearnerSetup LearnerFrom(string checkpoint, IReadOnlyList<StageResult> initialResults, TaskCompletionSource<IReadOnlyList<StageResult>> finished,
                                     LearnerState? resumedFrom)
    {
        AgentModels models;
        try
        {
            (models, _, _) = AgentCheckpoint.Load(checkpoint);
        }
        catch (Exception e) when (resumedFrom is not null && e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot resume from checkpoint {checkpoint}: {e.Message}", e);
        }
        try
        {
            // With LoRA role adapters the RL stage trains the adapters only, and publishes adapters-only versions.
            if (models.Sharing == RoleSharing.LoraAdapters) models.FreezeBase();
            var tokenizer = CompactTokenizerFile.Load(Path.Combine(checkpoint, AgentCheckpoint.TokenizerFile));
            var budgets = new SamplingSettings(Temperature: 0, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens);
            var builder = new SampleBuilder(tokenizer, PlannerPrompt, suite.ReflectorPrompt, config.Agent.MemorySize, budgets, config.Model.ContextLength);
            return new LearnerSetup(config, suite, run, models, tokenizer, builder, ReadImitationSamples(builder), initialResults, options.Learner,
                report, finished, resumedFrom);
        }
        catch
        {
            models.Dispose();
            throw;
        }
    }

    /// <summary>
    /// K workers playing at the RL temperature's episodes, with the policy server's batch capped by the generation batch
    /// and by the episodes the node plays at once: the node's workers are its server's only clients, with one request per
    /// episode at a time, so a larger max batch never fills and every batch would wait the full max wait (bench cluster
    /// found this: 4 workers of one episode each, max batch 16).
    /// </summary>
    public RolloutNodeSettings Rollout(IRolloutJournal? journal = null)
    {
        var episodes = new EpisodeSettings(suite.CreateEnvironment,
            new MultiTrialOptions(config.Agent.Trials, config.Agent.MaxTurnsPerTrial, config.Agent.MemorySize), UseReflector: config.Algo != "sft-rl",
            PlannerPrompt, suite.ReflectorPrompt);
        var policyServer = options.PolicyServer with { MaxBatch = Math.Min(Math.Min(options.PolicyServer.MaxBatch, config.Model.GenerationBatch), options.EpisodesPerNode) };
        return new RolloutNodeSettings(options.WorkersPerNode, episodes, options.Workers, policyServer, options.ReportEvery, journal,
            options.ResolvedWorkerThreads(config.Env));
    }

    /// <summary>
    /// Makes a PolicyServer's backend: its own models and tokenizer, loaded from the imitation checkpoint (policy
    /// version 0), so nothing is shared with the learner; later versions arrive through the weight pull.
    /// </summary>
    public Func<IPolicyBackend> PolicyBackend()
    {
        var sampling = new SamplingSettings(config.Rl.Temperature, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens, Seed: config.Seed * 31,
            AdmissibleOnly: config.Rl.Decoding == "admissible");
        string checkpoint = ImitationCheckpoint;
        return () =>
        {
            var (models, tokenizer, _) = AgentCheckpoint.Load(checkpoint);
            return new ModelPolicyBackend(models, tokenizer, sampling);
        };
    }

    /// <summary>The replay buffer's options with its write-ahead log in the run directory.</summary>
    public ReplayStoreOptions Replay()
    {
        string wal = Path.Combine(run.Path, "replay", "replay.wal");
        Directory.CreateDirectory(Path.GetDirectoryName(wal)!);
        return options.Replay with { WalPath = wal, Seed = config.Seed };
    }

    private RetroAct.Rollout.Prompts.PlannerPrompt PlannerPrompt => suite.PlannerPrompt with { HistoryWindow = config.Agent.HistoryWindow };

    private List<TrainingSample> ReadImitationSamples(SampleBuilder builder)
    {
        string path = Path.Combine(run.Path, "imitation.jsonl");
        var samples = File.ReadLines(path)
            .Select((line, i) => ImitationExample.FromJsonLine(line, i + 1))
            .Select(e => builder.FromImitation(e, config.Imitation.AgentTokensOnly))
            .Where(s => s.Prompt.Length + s.Output.Length <= config.Model.ContextLength)
            .ToList();
        if (samples.Count == 0) throw new InvalidDataException($"{path}: no imitation sample fits the context; the IL regulariser needs some");
        return samples;
    }
}

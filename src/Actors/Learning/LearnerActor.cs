using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;
using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;
using RetroAct.Learner.Training;
using RetroAct.Rollout;

namespace RetroAct.Actors.Learning;

/// <summary>
/// The RL stage as an actor (ALGORITHMS.md §2). It queues each update's tasks with the dispatcher (two updates
/// ahead, so rollouts overlap training), samples finished episodes from the replay buffer (FIFO; the buffer drops
/// those more than max_policy_lag versions old), runs one RetroAct update with the imitation regulariser, bumps the
/// policy version, hands the new weights to the WeightStore (which announces them), and checkpoints and evaluates
/// on schedule. After <c>Rl.Iterations</c> updates it writes evaluation.json and the plots and completes
/// <see cref="LearnerSetup.Finished"/>. A checkpoint is written before its version is published, so with a checkpoint
/// every version no rollout node ever holds a version a resumed learner does not know. Resumed from a checkpoint
/// (<see cref="LearnerSetup.ResumedFrom"/>), it continues at the next version under a higher learner epoch.
/// Every version handed to the WeightStore is recorded in RUN/learner/published.jsonl.
/// </summary>
public sealed class LearnerActor : ReceiveActor, IWithTimers
{
    private sealed record SampleTick
    {
        public static readonly SampleTick Instance = new();
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LearnerSetup _setup;
    private readonly LearnerPeers _peers;
    private readonly TrajectoryReassembler _reassembler = new();
    private readonly List<Episode> _collected = [];
    private readonly List<long> _collectedOldestVersions = [];
    private readonly List<StageResult> _results;
    private readonly int _updates;
    private readonly long _epoch;
    private readonly JsonlJournal _published;
    private Guid _sampleRequest;
    private long _tasksQueued;
    private int _droppedStale;

    public LearnerActor(LearnerSetup setup, LearnerPeers peers)
    {
        (_setup, _peers) = (setup, peers);
        _results = [.. setup.InitialResults];
        _updates = setup.Config.Rl.Iterations;
        _tasksQueued = setup.ResumedFrom?.TasksQueued ?? 0;
        _epoch = setup.ResumedFrom is { } resumed ? resumed.Epoch + 1 : 0;
        _published = new JsonlJournal(Path.Combine(setup.Run.Path, "learner", "published.jsonl"));

        Receive<SampleTick>(_ =>
        {
            _sampleRequest = Guid.NewGuid();
            int wanted = Math.Min(SampleRequest.MaxCount, EpisodesPerUpdate - _collected.Count);
            _peers.Replay.Tell(new SampleRequest(_sampleRequest, wanted, SamplingMode.Fifo, Models.Version));
        });
        Receive<TrajectoryBatch>(Collect);
        Receive<TrajectoryFragment>(fragment =>
        {
            try
            {
                if (_reassembler.Add(fragment) is { } whole) Collect(whole);
            }
            catch (InvalidDataException e)
            {
                _log.Error("a sampled trajectory could not be reassembled and is skipped: {0}", e.Message);
            }
        });
        Receive<SampleReply>(reply =>
        {
            if (reply.RequestId != _sampleRequest) return;
            if (reply.DroppedStale > 0)
            {
                // Replace what the staleness cap threw away, or the update would wait for episodes nobody plays.
                _droppedStale += reply.DroppedStale;
                QueueTasks(reply.DroppedStale, (int)Models.Version + 1);
            }
            if (_collected.Count >= EpisodesPerUpdate) Guarded(Update);
            else Timers.StartSingleTimer("sample", SampleTick.Instance, _setup.Options.SampleRetry);
        });
        Receive<WeightsPublished>(published =>
        {
            var a = published.Announcement;
            try
            {
                _published.Append(new PublishedWeights(a.Version, a.Epoch, Convert.ToHexString(a.Checksum), a.TotalBytes, _setup.ResumedFrom is not null,
                    DateTimeOffset.UtcNow));
            }
            catch (IOException e)
            {
                _log.Error(e, "could not record published weight version {0}", a.Version);
            }
            // The run ends once its last version is on record, not before the store has answered.
            if (_completeWhenPublished is { } final && a.Version >= final) Complete();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The last version, once its update is done: the run completes when the store confirms its publication.</summary>
    private long? _completeWhenPublished;

    private AgentModels Models => _setup.Models;
    private TrainingConfig Config => _setup.Config;
    private int EpisodesPerUpdate => Config.Rl.TasksPerIteration;

    public static Props Props(LearnerSetup setup, LearnerPeers peers) => Akka.Actor.Props.Create(() => new LearnerActor(setup, peers));

    protected override void PreStart() => Guarded(Start);

    private void Start()
    {
        long start = Models.Version;
        Report("start", start, new Dictionary<string, double>
        {
            ["policy_version"] = start,
            ["epoch"] = _epoch,
            ["resumed"] = _setup.ResumedFrom is null ? 0 : 1,
            ["tasks_queued"] = _tasksQueued,
        });
        if (_setup.ResumedFrom is not null)
            _setup.Report($"resumed at policy version {start} (learner epoch {_epoch}, {_tasksQueued} tasks queued before); next version {start + 1}");
        if (start >= _updates)
        {
            Complete();
            return;
        }
        // The starting weights (version 0 after imitation, or the resumed checkpoint's) reach every PolicyServer the
        // same way later versions do.
        PublishWeights();
        for (long update = start + 1; update <= Math.Min(start + 2, _updates); update++) QueueTasks(EpisodesPerUpdate, (int)update);
        Self.Tell(SampleTick.Instance);
    }

    protected override void PostStop()
    {
        _published.Dispose();
        Models.Dispose();
        _setup.Finished.TrySetException(new InvalidOperationException("the learner stopped before the last update"));
    }

    /// <summary>
    /// A learner failure ends the run instead of restarting the actor: the models it owns are half-updated and a
    /// restart would start from disposed ones. The error is logged and handed to whoever waits for the run.
    /// </summary>
    private void Guarded(Action work)
    {
        try
        {
            work();
        }
        catch (OperationCanceledException) when (_setup.Stopping.IsCancellationRequested)
        {
            // The run was asked to stop (Ctrl-C, SIGTERM) during an evaluation: not a failure; the checkpoint came first.
            _log.Info("the learner stopped at policy version {0}: the run was asked to stop", Models.Version);
            _setup.Finished.TrySetCanceled(_setup.Stopping);
            Context.Stop(Self);
        }
        catch (Exception e)
        {
            _log.Error(e, "the learner failed at policy version {0}; stopping the run", Models.Version);
            _setup.Finished.TrySetException(e);
            Context.Stop(Self);
        }
    }

    private void Collect(TrajectoryBatch batch)
    {
        _collected.Add(batch.Episode);
        _collectedOldestVersions.Add(batch.OldestPolicyVersion);
    }

    private void Update()
    {
        var rlOptions = Config.Rl.LossOptions();
        int update = (int)Models.Version + 1;
        var episodes = _collected.ToList();
        var lags = _collectedOldestVersions.Where(v => v >= 0).Select(v => (double)(Models.Version - v)).DefaultIfEmpty(0).ToList();
        _collected.Clear();
        _collectedOldestVersions.Clear();
        var rl = episodes.SelectMany(e => _setup.Builder.FromEpisode(e, rlOptions)).ToList();
        Report("collect", update, new Dictionary<string, double>
        {
            ["episodes"] = episodes.Count,
            ["success_rate"] = episodes.Average(e => e.Trials.Any(t => t.Success) ? 1.0 : 0.0),
            ["rl_samples"] = rl.Count,
            ["policy_lag_min"] = lags.Min(),
            ["policy_lag_mean"] = lags.Average(),
            ["policy_lag_max"] = lags.Max(),
            ["newest_policy_version"] = episodes.SelectMany(PolicyVersions).DefaultIfEmpty(-1).Max(),
            ["dropped_stale"] = _droppedStale,
        });
        _droppedStale = 0;

        var settings = new RetroActUpdateSettings(Config.Rl.Epochs, Config.Rl.BatchSize, Config.Rl.LearningRate, rlOptions, Config.Seed * 7919 + update);
        int steps = RetroActUpdate.Run(Models, rl, _setup.Imitation, settings, (step, values) =>
            Report("rl", step, new Dictionary<string, double>(values) { ["policy_version"] = Models.Version }));
        if (steps == 0) _setup.Report($"update {update}: no RL sample kept (no reward earned); weights unchanged");
        else _setup.Report($"update {update}: {Config.Rl.Epochs} epochs on {rl.Count} RL samples from {episodes.Count} episodes");

        Models.Version++;
        Report("update", Models.Version, new Dictionary<string, double>
        {
            ["policy_version"] = Models.Version,
            ["optimizer_steps"] = steps,
            ["rl_samples"] = rl.Count,
        });
        bool last = Models.Version >= _updates;
        // Checkpoint first, then publish: a crash in between leaves a checkpoint nobody is ahead of.
        if (last || Models.Version % _setup.Options.CheckpointEveryVersions == 0) SaveCheckpoint($"rl-{Models.Version}");
        PublishWeights();
        if (last || Models.Version % _setup.Options.EvalEveryVersions == 0) Evaluate($"rl-{Models.Version}");
        if (last)
        {
            _completeWhenPublished = Models.Version;
            return;
        }
        if (Models.Version + 2 <= _updates) QueueTasks(EpisodesPerUpdate, (int)Models.Version + 2);
        Self.Tell(SampleTick.Instance);
    }

    private static IEnumerable<double> PolicyVersions(Episode episode) =>
        episode.Trials.SelectMany(t => t.Turns).Select(t => (double)t.PolicyVersion)
            .Concat(episode.Reflections.Select(r => (double)r.PolicyVersion));

    private void QueueTasks(int count, int iteration)
    {
        var tasks = Enumerable.Range(0, count)
            .Select(i => _setup.Suite.Task("train", Config.Seed * 1000 + iteration, (int)_tasksQueued + i)).ToList();
        _tasksQueued += count;
        foreach (var chunk in tasks.Chunk(EnqueueTasks.MaxTasks)) _peers.Dispatcher.Tell(new EnqueueTasks(chunk));
    }

    private void PublishWeights()
    {
        // Adapters-only when the base is frozen (LoRA role adapters in the RL stage): every policy server already has
        // that base, from the imitation checkpoint it starts from.
        var blob = Models.BaseFrozen ? AgentWeightsBlob.SerializeAdapters(Models) : AgentWeightsBlob.Serialize(Models);
        _peers.WeightStore.Tell(new PublishWeights(Models.Version, LoraOnly: Models.BaseFrozen, blob, _epoch), Self);
    }

    private void SaveCheckpoint(string stage)
    {
        string folder = Path.Combine(_setup.Run.CheckpointsPath, stage);
        AgentCheckpoint.Save(folder, Models, _setup.Tokenizer, new AgentCheckpointInfo(
            Config.Env, stage, Models.Version, Config.Model.Sharing, UseReflector, Config.Agent.MemorySize, Config.Agent.HistoryWindow,
            Config.Agent.MaxTurnsPerTrial, Config.Model.PlannerMaxTokens, Config.Model.ReflectorMaxTokens));
        LearnerCheckpoints.Commit(_setup.Run.CheckpointsPath, folder, new LearnerState(Models.Version, _tasksQueued, _epoch));
        var deleted = CheckpointRetention.Prune(_setup.Run.CheckpointsPath, Config.Rl.KeepCheckpoints);
        _setup.Report($"checkpoint: {folder}{CheckpointRetention.Describe(deleted, Config.Rl.KeepCheckpoints)}");
    }

    private void Evaluate(string stage)
    {
        var tasks = Enumerable.Range(0, Config.Data.EvalTasks).Select(i => _setup.Suite.Task(Config.Data.EvalSplit, Config.Seed, i)).ToList();
        var settings = new EvaluationSettings(Config.Agent.Trials, Config.Agent.MaxTurnsPerTrial, Config.Agent.MemorySize, Config.Agent.HistoryWindow,
            UseReflector, Config.Model.PlannerMaxTokens, Config.Model.ReflectorMaxTokens, Config.Model.GenerationBatch, Config.Seed,
            AdmissibleOnly: Config.Agent.Decoding == "admissible", RankAdmissible: Config.Agent.Decoding == "ranked");
        _setup.Report($"evaluating {stage} on {tasks.Count} {Config.Data.EvalSplit} tasks, {Config.Agent.Trials} trials");
        var evaluation = AgentEvaluator.Evaluate(_setup.Suite, Models, _setup.Tokenizer, tasks, settings,
            i => ImitationDataGenerator.EpisodeId(Config.Seed, $"eval-{stage}", i), new EpisodeProgress(tasks.Count, $"evaluating {stage}", _setup.Report),
            _setup.Stopping);
        _setup.Run.WriteJsonLines($"episodes-{stage}.jsonl", evaluation.Episodes.Select(EpisodeJson.ToJsonLine)); // as the serial driver writes
        var metrics = evaluation.Overall;
        Report("eval", Models.Version, new Dictionary<string, double> { ["ir"] = metrics.Ir, ["fr"] = metrics.Fr, ["ar"] = metrics.Ar, ["policy_version"] = Models.Version });
        _setup.Report($"{stage}: IR {metrics.Ir:P1}  FR {metrics.Fr:P1}  AR {metrics.Ar:P1}");
        _results.Add(new StageResult(stage, metrics));
        // After every evaluation, not only at the end: a learner that crashes keeps the stages it finished, and a
        // resumed one reads them back (TrainingParts.ResumeLearner).
        EvaluationFile.Write(_setup.Run, _results, Config.Data.EvalSplit, $"{_setup.Suite.Name} {Config.Algo}");
    }

    private void Complete()
    {
        // evaluation.json and the plots were written after the last evaluation (Evaluate).
        _setup.Finished.TrySetResult(_results.ToList());
    }

    private bool UseReflector => Config.Algo != "sft-rl";

    private void Report(string stage, long step, Dictionary<string, double> values)
    {
        values[MetricsHub.StepKey] = step;
        _peers.Metrics.Tell(new MetricsReport(stage, DateTimeOffset.UtcNow, values));
    }
}

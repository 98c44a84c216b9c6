using RetroAct.Core.Trajectories;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Training;
using RetroAct.Model;
using RetroAct.Model.Tokenizers;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Evaluation;
using RetroAct.Rollout.Imitation;

namespace RetroAct.Learner.Serial;

/// <summary>IR/FR/AR of one evaluation, labelled with the stage that produced the weights.</summary>
public sealed record StageResult(string Stage, TrialMetrics Metrics);

/// <summary>
/// The serial driver (no actors): imitation data from the expert and the reflection oracle → a compact tokenizer →
/// the imitation stage → RL iterations (collect at temperature 1, then epochs of the RetroAct loss), evaluating
/// IR/FR/AR on held-out tasks after each stage and writing everything to the run directory. Everything is seeded,
/// and generation runs in lock-step batches, so a run with a fixed seed reproduces its metrics. <paramref name="cancel"/>
/// stops it between two steps (an <see cref="OperationCanceledException"/>; what was written stays written).
/// </summary>
public sealed class SerialTrainer(TrainingConfig config, ITrainingSuite suite, RunDirectory run, Action<string> report, CancellationToken cancel = default)
{
    public IReadOnlyList<StageResult> Run()
    {
        var results = new List<StageResult>();
        // evaluation.json and the plots after every evaluation, as the actor runtime's learner writes them: a run
        // stopped (Ctrl-C, SIGTERM) or killed keeps every stage evaluated so far.
        void Record(StageResult result)
        {
            results.Add(result);
            EvaluationFile.Write(run, results, config.Data.EvalSplit, $"{suite.Name} {config.Algo}");
        }
        bool useReflector = config.Algo != "sft-rl";
        var plannerPrompt = suite.PlannerPrompt with { HistoryWindow = config.Agent.HistoryWindow };

        List<ImitationExample> imitation = GenerateImitationData(plannerPrompt);
        cancel.ThrowIfCancellationRequested();
        if (!useReflector) imitation.RemoveAll(e => e.Role == ImitationExample.ReflectorRole);
        run.WriteJsonLines("imitation.jsonl", imitation.Select(e => e.ToJsonLine()));

        string? initFrom = config.Imitation.InitFrom is { Length: > 0 } folder ? folder : null;
        var (models, tokenizer) = initFrom is null ? NewModels(imitation) : LoadImitated(initFrom);
        using var disposeModels = models;

        // The learner truncates prompts exactly as generation did, which depends on the generation budgets.
        var budgets = new SamplingSettings(Temperature: 0, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens);
        var builder = new SampleBuilder(tokenizer, plannerPrompt, suite.ReflectorPrompt, config.Agent.MemorySize, budgets, config.Model.ContextLength);
        var ilSamples = imitation.Select(e => builder.FromImitation(e, config.Imitation.AgentTokensOnly)).ToList();
        int tooLong = ilSamples.RemoveAll(s => s.Prompt.Length + s.Output.Length > config.Model.ContextLength);
        if (tooLong > 0) report($"{tooLong} imitation examples longer than the context ({config.Model.ContextLength} tokens) left out");
        report($"imitation samples: {ilSamples.Count}, {ilSamples.Sum(s => s.Prompt.Length + s.Output.Length):N0} tokens per epoch");
        // With InitFrom the imitation stage was trained by an earlier run: its samples still serve the RL stage's
        // imitation regulariser, and the loaded weights are evaluated here under this run's evaluation settings.
        if (initFrom is null)
            TrainImitation(models, ilSamples, epoch => Record(Evaluate($"imitation-epoch-{epoch}", models, tokenizer, useReflector, plannerPrompt)));
        // Checkpoint first, as the actor learner does: a run stopped during the evaluation keeps what it trained.
        SaveCheckpoint("imitation", models, tokenizer, useReflector);
        Record(Evaluate("imitation", models, tokenizer, useReflector, plannerPrompt));

        if (config.Algo != "sft")
        {
            // With LoRA role adapters the RL stage trains the adapters only (each version is adapters-only).
            if (models.Sharing == RoleSharing.LoraAdapters) models.FreezeBase();
            var rlOptions = config.Rl.LossOptions();
            for (int iteration = 1; iteration <= config.Rl.Iterations; iteration++)
            {
                var collected = Collect(iteration, models, tokenizer, useReflector, plannerPrompt);
                var rl = collected.SelectMany(e => builder.FromEpisode(e, rlOptions)).ToList();
                run.LogMetrics("collect", iteration, new Dictionary<string, double>
                {
                    ["episodes"] = collected.Count,
                    ["success_rate"] = collected.Average(e => e.Trials.Any(t => t.Success) ? 1.0 : 0.0),
                    ["rl_samples"] = rl.Count,
                    ["generated_tokens"] = collected.Sum(GeneratedTokens),
                });
                TrainRetroAct(models, rl, ilSamples, iteration);
                models.Version++;
                SaveCheckpoint($"rl-{iteration}", models, tokenizer, useReflector);
                Record(Evaluate($"rl-{iteration}", models, tokenizer, useReflector, plannerPrompt));
            }
        }

        return results;
    }

    /// <summary>A compact tokenizer trained on the imitation data and freshly initialised models of the configured preset.</summary>
    private (AgentModels, CompactTokenizer) NewModels(List<ImitationExample> imitation)
    {
        report("training the tokenizer");
        var tokenizer = CompactTokenizerTrainer.Train(imitation.SelectMany(e => new[] { e.Prompt, e.OutputText }),
            new CompactTrainerOptions(VocabSize: config.Model.TokenizerVocab));
        var modelConfig = LlamaConfig.Preset(config.Model.Preset) with
        {
            VocabSize = tokenizer.VocabSize,
            MaxPositionEmbeddings = config.Model.ContextLength,
        };
        var models = AgentModels.Create(modelConfig, config.Model.Sharing, config.Seed, config.Lora);
        report($"{config.Model.Preset} models: {modelConfig.ParameterCount:N0} parameters each, vocabulary {tokenizer.VocabSize}");
        return (models, tokenizer);
    }

    /// <summary>
    /// Models and tokenizer of an earlier run's imitation checkpoint (Imitation:InitFrom), checked against this run's
    /// environment, context length and role sharing; a mismatch is an <see cref="InvalidDataException"/> naming both.
    /// </summary>
    private (AgentModels, CompactTokenizer) LoadImitated(string folder)
    {
        var (models, loadedTokenizer, info) = AgentCheckpoint.Load(folder);
        var problems = new List<string>();
        if (info.Env != config.Env) problems.Add($"its environment is {info.Env}, this run's {config.Env}");
        if (info.Sharing != config.Model.Sharing) problems.Add($"its role sharing is {info.Sharing}, this run's {config.Model.Sharing}");
        int context = models.Planner.Config.MaxPositionEmbeddings;
        if (context != config.Model.ContextLength) problems.Add($"its context is {context} tokens, this run's Model:ContextLength {config.Model.ContextLength}");
        if (loadedTokenizer is not CompactTokenizer tokenizer) problems.Add("its tokenizer is not a compact tokenizer");
        else if (problems.Count == 0)
        {
            models.Version = 0; // this run's policy versions start at its imitation stage
            report($"imitation stage loaded from {folder} ({info.Stage}): {models.Planner.Config.ParameterCount:N0} parameters each, " +
                   $"vocabulary {tokenizer.VocabSize}; no imitation epochs are run");
            return (models, tokenizer);
        }
        models.Dispose();
        throw new InvalidDataException($"Imitation:InitFrom = {folder}: {string.Join("; ", problems)}");
    }

    /// <summary>Writes checkpoints/STAGE and points checkpoints/latest.txt at it.</summary>
    private void SaveCheckpoint(string stage, AgentModels models, CompactTokenizer tokenizer, bool useReflector)
    {
        string folder = Path.Combine(run.CheckpointsPath, stage);
        AgentCheckpoint.Save(folder, models, tokenizer, new AgentCheckpointInfo(
            config.Env, stage, models.Version, config.Model.Sharing, useReflector, config.Agent.MemorySize, config.Agent.HistoryWindow,
            config.Agent.MaxTurnsPerTrial, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens));
        File.WriteAllText(Path.Combine(run.CheckpointsPath, "latest.txt"), stage + "\n");
        var deleted = CheckpointRetention.Prune(run.CheckpointsPath, config.Rl.KeepCheckpoints);
        report($"checkpoint: {folder}{CheckpointRetention.Describe(deleted, config.Rl.KeepCheckpoints)}");
    }

    private List<ImitationExample> GenerateImitationData(Rollout.Prompts.PlannerPrompt plannerPrompt)
    {
        var data = config.Data;
        bool wholeTrials = data.PlannerExamples == "trial";
        report($"expert + reflection oracle on {data.ImitationTasks} training tasks (turn budget {data.ImitationMaxTurns})");
        var examples = ImitationDataGenerator.Generate(suite, new ImitationDataSettings(data.ImitationTasks, data.ImitationMaxTurns,
            config.Agent.Trials, config.Agent.MemorySize, plannerPrompt.HistoryWindow, config.Seed, wholeTrials));
        if (data.ReflectionTasks > 0)
        {
            // Other games with a tight budget: first trials fail, the oracle reflects, the next trial shows how a reflection is used.
            report($"expert + reflection oracle on {data.ReflectionTasks} more training tasks (turn budget {data.ReflectionMaxTurns})");
            examples.AddRange(ImitationDataGenerator.Generate(suite, new ImitationDataSettings(data.ReflectionTasks, data.ReflectionMaxTurns,
                config.Agent.Trials, config.Agent.MemorySize, plannerPrompt.HistoryWindow, config.Seed, wholeTrials, FirstTask: data.ImitationTasks)));
        }
        int reflections = examples.Count(e => e.Role == ImitationExample.ReflectorRole);
        run.LogMetrics("imitation-data", 0, new Dictionary<string, double> { ["planner_examples"] = examples.Count - reflections, ["reflector_examples"] = reflections });
        report($"imitation data: {examples.Count - reflections} planner {(wholeTrials ? "trials" : "turns")}, {reflections} reflections");
        return examples;
    }

    private void TrainImitation(AgentModels models, List<TrainingSample> samples, Action<int> evaluateAfterEpoch)
    {
        int batch = config.Imitation.BatchSize;
        int stepsPerEpoch = (samples.Count + batch - 1) / batch;
        using var trainer = new JointTrainer(models,
            new OptimizerSettings(config.Imitation.LearningRate, WarmupSteps: config.Imitation.WarmupSteps), config.Imitation.Epochs * stepsPerEpoch);
        var random = new Random(config.Seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 1; epoch <= config.Imitation.Epochs; epoch++)
        {
            double sum = 0;
            foreach (var samplesOfStep in LengthBuckets.Batches(samples, batch, random))
            {
                cancel.ThrowIfCancellationRequested();
                var stats = trainer.ImitationStep(samplesOfStep).Values;
                run.LogMetrics("il", trainer.Step, stats);
                sum += stats["loss"];
            }
            report($"imitation epoch {epoch}/{config.Imitation.Epochs}: mean loss {sum / stepsPerEpoch:F3} ({clock.Elapsed.TotalMinutes:F1} min)");
            run.LogMetrics("il-epoch", epoch, new Dictionary<string, double> { ["loss"] = sum / stepsPerEpoch });
            if (config.Imitation.EvalEveryEpochs > 0 && epoch % config.Imitation.EvalEveryEpochs == 0 && epoch < config.Imitation.Epochs)
            {
                clock.Stop();
                evaluateAfterEpoch(epoch);
                clock.Start();
            }
        }
    }

    private void TrainRetroAct(AgentModels models, List<TrainingSample> rl, List<TrainingSample> imitation, int iteration)
    {
        if (rl.Count == 0)
        {
            report($"iteration {iteration}: no RL sample kept (no reward earned); weights unchanged");
            return;
        }
        int batch = config.Rl.BatchSize;
        int stepsPerEpoch = (rl.Count + batch - 1) / batch;
        using var trainer = new JointTrainer(models, new OptimizerSettings(config.Rl.LearningRate, WarmupSteps: 0), config.Rl.Epochs * stepsPerEpoch);
        var random = new Random(config.Seed * 7919 + iteration);
        var options = config.Rl.LossOptions();
        var imitationByRole = imitation.GroupBy(i => i.Role).ToDictionary(g => g.Key, g => g.ToList());
        for (int epoch = 1; epoch <= config.Rl.Epochs; epoch++)
        {
            var order = rl.OrderBy(_ => random.Next()).ToList();
            for (int s = 0; s < stepsPerEpoch; s++)
            {
                cancel.ThrowIfCancellationRequested();
                var rlBatch = order.Skip(s * batch).Take(batch).ToList();
                // Each RL sample is paired with one IL sample of the same role (the IL set resampled to the RL set's size).
                var ilBatch = rlBatch.Where(r => imitationByRole.ContainsKey(r.Role))
                    .Select(r => imitationByRole[r.Role][random.Next(imitationByRole[r.Role].Count)]).ToList();
                run.LogMetrics("rl", trainer.Step, trainer.RetroActStep(rlBatch, ilBatch, options).Values);
            }
        }
        report($"iteration {iteration}: {config.Rl.Epochs} epochs on {rl.Count} RL samples");
    }

    /// <summary>Tokens the planner and the reflector wrote in an episode (the actor runtime's policy servers report the same count).</summary>
    private static long GeneratedTokens(Episode episode) =>
        episode.Trials.Sum(t => t.Turns.Sum(turn => (long)turn.TokenIds.Length)) + episode.Reflections.Sum(r => (long)r.TokenIds.Length);

    private List<Episode> Collect(int iteration, AgentModels models, ITokenizer tokenizer, bool useReflector, Rollout.Prompts.PlannerPrompt plannerPrompt)
    {
        cancel.ThrowIfCancellationRequested();
        var tasks = Enumerable.Range(0, config.Rl.TasksPerIteration)
            .Select(i => suite.Task("train", config.Seed * 1000 + iteration, i)).ToList();
        report($"iteration {iteration}: collecting {tasks.Count} episodes at temperature {config.Rl.Temperature}");
        var settings = Settings(useReflector, plannerPrompt) with { Temperature = config.Rl.Temperature, Seed = config.Seed * 31 + iteration, AdmissibleOnly = config.Rl.Decoding == "admissible", RankAdmissible = false };
        return AgentEvaluator.Play(suite, models, tokenizer, tasks, settings, i => DeterministicId($"collect-{iteration}", i),
            new EpisodeProgress(tasks.Count, $"iteration {iteration}: collected", report), cancel).ToList();
    }

    private StageResult Evaluate(string stage, AgentModels models, ITokenizer tokenizer, bool useReflector, Rollout.Prompts.PlannerPrompt plannerPrompt)
    {
        cancel.ThrowIfCancellationRequested();
        var tasks = Enumerable.Range(0, config.Data.EvalTasks).Select(i => suite.Task(config.Data.EvalSplit, config.Seed, i)).ToList();
        report($"evaluating {stage} on {tasks.Count} {config.Data.EvalSplit} tasks, {config.Agent.Trials} trials");
        var evaluation = AgentEvaluator.Evaluate(suite, models, tokenizer, tasks, Settings(useReflector, plannerPrompt), i => DeterministicId($"eval-{stage}", i),
            new EpisodeProgress(tasks.Count, $"evaluating {stage}", report), cancel);
        run.WriteJsonLines($"episodes-{stage}.jsonl", evaluation.Episodes.Select(EpisodeJson.ToJsonLine));
        var metrics = evaluation.Overall;
        run.LogMetrics("eval", 0, new Dictionary<string, double> { ["ir"] = metrics.Ir, ["fr"] = metrics.Fr, ["ar"] = metrics.Ar });
        report($"{stage}: IR {metrics.Ir:P1}  FR {metrics.Fr:P1}  AR {metrics.Ar:P1}");
        return new StageResult(stage, metrics);
    }

    private EvaluationSettings Settings(bool useReflector, Rollout.Prompts.PlannerPrompt plannerPrompt) =>
        new(config.Agent.Trials, config.Agent.MaxTurnsPerTrial, config.Agent.MemorySize, plannerPrompt.HistoryWindow, useReflector,
            config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens, config.Model.GenerationBatch, config.Seed,
            AdmissibleOnly: config.Agent.Decoding == "admissible", RankAdmissible: config.Agent.Decoding == "ranked");

    private Guid DeterministicId(string label, int index) => ImitationDataGenerator.EpisodeId(config.Seed, label, index);
}

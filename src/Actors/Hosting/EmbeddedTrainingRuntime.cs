using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;
using RetroAct.Actors.Weights;
using RetroAct.Learner.Policy;
using RetroAct.Learner.Runs;
using RetroAct.Learner.Serial;
using RetroAct.Learner.Training;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Imitation;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// <c>retroact train --runtime actors</c>: the whole pipeline in one ActorSystem holding every role. The imitation
/// stage runs first through the serial code path (the same data, tokenizer, IL epochs, evaluation and "imitation"
/// checkpoint), then the RL stage runs as actors: TaskDispatcher, one RolloutNode (K workers + a PolicyServer with
/// its own model copy), ReplayBuffer (write-ahead log in the run directory), WeightStore, Learner and MetricsHub.
/// The run directory has the same files as a serial run.
/// </summary>
public sealed class EmbeddedTrainingRuntime(TrainingConfig config, ITrainingSuite suite, RunDirectory run, ActorRuntimeOptions options, Action<string> report)
{
    /// <summary>Trains and returns every evaluated stage (imitation, then rl-N).</summary>
    public IReadOnlyList<StageResult> Run()
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException($"invalid actor runtime options: {string.Join("; ", problems)}");

        var imitationResults = new SerialTrainer(ImitationOnly(config), suite, run, report).Run();
        if (config.Algo == "sft" || config.Rl.Iterations == 0) return imitationResults;

        string checkpoint = Path.Combine(run.CheckpointsPath, "imitation");
        string tokenizerPath = Path.Combine(checkpoint, AgentCheckpoint.TokenizerFile);
        var (models, _, _) = AgentCheckpoint.Load(checkpoint);
        try
        {
            var tokenizer = CompactTokenizerFile.Load(tokenizerPath);
            var plannerPrompt = suite.PlannerPrompt with { HistoryWindow = config.Agent.HistoryWindow };
            var budgets = new SamplingSettings(Temperature: 0, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens);
            var builder = new SampleBuilder(tokenizer, plannerPrompt, suite.ReflectorPrompt, config.Agent.MemorySize, budgets, config.Model.ContextLength);
            var imitation = ReadImitationSamples(builder);

            var finished = new TaskCompletionSource<IReadOnlyList<StageResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
            var setup = new LearnerSetup(config, suite, run, models, tokenizer, builder, imitation, imitationResults, options.Learner, report, finished);
            var rollout = RolloutSettings(plannerPrompt);
            var createBackend = PolicyBackendFactory(AgentWeightsBlob.Serialize(models), models.Planner.Config, tokenizerPath);
            models = null!; // owned by the learner actor from here on

            using var host = new HostBuilder()
                .ConfigureServices(services => services.AddAkka(RetroActAkka.SystemName, akka => akka
                    .WithRetroActDefaults()
                    .WithActors((system, registry) => StartActors(system, registry, setup, rollout, createBackend))))
                .Build();
            host.Start();
            report($"actor runtime: {options.WorkersPerNode} rollout workers, policy server batch {rollout.PolicyServer.MaxBatch}, " +
                   $"max policy lag {options.Replay.MaxPolicyLag}");
            try
            {
                return finished.Task.GetAwaiter().GetResult();
            }
            finally
            {
                host.StopAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            models?.Dispose();
        }
    }

    private void StartActors(ActorSystem system, IActorRegistry registry, LearnerSetup setup, RolloutNodeSettings rollout, Func<IPolicyBackend> createBackend)
    {
        var metrics = system.ActorOf(MetricsHub.Props(run), "metrics");
        var replayOptions = options.Replay with { WalPath = Path.Combine(run.Path, "replay", "replay.wal"), Seed = config.Seed };
        Directory.CreateDirectory(Path.GetDirectoryName(replayOptions.WalPath)!);
        var replay = system.ActorOf(ReplayBuffer.Props(replayOptions, metrics, options.ReportEvery), "replay");
        var dispatcher = system.ActorOf(TaskDispatcher.Props(options.Leases), "dispatcher");
        var weightStore = system.ActorOf(WeightStore.Props(), "weights");
        var node = system.ActorOf(RolloutNode.Props(rollout, createBackend, new RolloutPeers(dispatcher, replay, weightStore, metrics)), "rollout");
        var learner = system.ActorOf(LearnerActor.Props(setup, new LearnerPeers(replay, dispatcher, weightStore, metrics))
            .WithDispatcher(ComputeDispatcher.Id), "learner");
        registry.Register<MetricsHub>(metrics);
        registry.Register<ReplayBuffer>(replay);
        registry.Register<TaskDispatcher>(dispatcher);
        registry.Register<WeightStore>(weightStore);
        registry.Register<RolloutNode>(node);
        registry.Register<LearnerActor>(learner);
    }

    private RolloutNodeSettings RolloutSettings(RetroAct.Rollout.Prompts.PlannerPrompt plannerPrompt)
    {
        bool useReflector = config.Algo != "sft-rl";
        var episodes = new EpisodeSettings(suite.CreateEnvironment,
            new MultiTrialOptions(config.Agent.Trials, config.Agent.MaxTurnsPerTrial, config.Agent.MemorySize), useReflector,
            plannerPrompt, suite.ReflectorPrompt);
        var policyServer = options.PolicyServer with { MaxBatch = Math.Min(options.PolicyServer.MaxBatch, config.Model.GenerationBatch) };
        return new RolloutNodeSettings(options.WorkersPerNode, episodes, options.Workers, policyServer, options.ReportEvery);
    }

    /// <summary>Each PolicyServer builds its own model copy from the imitation weights and its own tokenizer instance: nothing is shared with the learner.</summary>
    private Func<IPolicyBackend> PolicyBackendFactory(byte[] initialWeights, RetroAct.Model.LlamaConfig modelConfig, string tokenizerPath)
    {
        var sampling = new SamplingSettings(config.Rl.Temperature, config.Model.PlannerMaxTokens, config.Model.ReflectorMaxTokens, Seed: config.Seed * 31);
        var sharing = config.Model.Sharing;
        return () =>
        {
            var models = AgentModels.Create(modelConfig, sharing, seed: 0);
            try
            {
                AgentWeightsBlob.LoadInto(models, initialWeights);
            }
            catch
            {
                models.Dispose();
                throw;
            }
            return new ModelPolicyBackend(models, CompactTokenizerFile.Load(tokenizerPath), sampling);
        };
    }

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

    /// <summary>A copy of the configuration with no RL iteration: the serial trainer then runs the imitation stage only.</summary>
    private static TrainingConfig ImitationOnly(TrainingConfig config)
    {
        var copy = JsonSerializer.Deserialize<TrainingConfig>(JsonSerializer.Serialize(config))
                   ?? throw new InvalidOperationException("the training configuration did not survive a copy");
        copy.Rl.Iterations = 0;
        return copy;
    }
}

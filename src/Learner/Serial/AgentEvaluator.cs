using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Learner.Policy;
using RetroAct.Model.Tokenizers;
using RetroAct.Rollout;
using RetroAct.Rollout.Evaluation;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Learner.Serial;

/// <summary>How an agent plays episodes: K trials per task, M reflections in memory, budgets, batch; greedy unless a temperature is set.</summary>
public sealed record EvaluationSettings(int Trials, int MaxTurnsPerTrial, int MemorySize, int HistoryWindow, bool UseReflector,
                                        int PlannerMaxTokens, int ReflectorMaxTokens, int Batch, long Seed, double Temperature = 0,
                                        bool AdmissibleOnly = false, bool RankAdmissible = false);

/// <summary>IR/FR/AR over a task set, overall and per task kind, with the episodes behind them.</summary>
public sealed record EvaluationResult(TrialMetrics Overall, IReadOnlyDictionary<string, TrialMetrics> ByKind, IReadOnlyList<Episode> Episodes);

/// <summary>Runs a trained agent (greedy) on tasks in lock-step batches and computes IR/FR/AR (ALGORITHMS.md §0).</summary>
public static class AgentEvaluator
{
    public static EvaluationResult Evaluate(ITrainingSuite suite, AgentModels models, ITokenizer tokenizer, IReadOnlyList<TaskSpec> tasks,
                                            EvaluationSettings settings, Func<int, Guid>? episodeIds = null, IProgress<int>? progress = null,
                                            CancellationToken cancel = default)
    {
        var episodes = Play(suite, models, tokenizer, tasks, settings, episodeIds, progress, cancel);
        var byKind = episodes.GroupBy(e => suite.TaskKind(e.Task))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => TrialMetrics.Compute(g.ToList(), settings.Trials));
        return new EvaluationResult(TrialMetrics.Compute(episodes, settings.Trials), byKind, episodes);
    }

    /// <summary>
    /// The agent's multi-trial episodes on <paramref name="tasks"/> (evaluation, or RL collection with a temperature);
    /// <paramref name="progress"/> receives the number of episodes finished; <paramref name="cancel"/> stops it between
    /// two generation rounds.
    /// </summary>
    public static IReadOnlyList<Episode> Play(ITrainingSuite suite, AgentModels models, ITokenizer tokenizer, IReadOnlyList<TaskSpec> tasks,
                                              EvaluationSettings settings, Func<int, Guid>? episodeIds = null, IProgress<int>? progress = null,
                                              CancellationToken cancel = default)
    {
        var policy = new ModelPolicy(models, tokenizer,
            new SamplingSettings(settings.Temperature, settings.PlannerMaxTokens, settings.ReflectorMaxTokens, Seed: settings.Seed,
                AdmissibleOnly: settings.AdmissibleOnly, RankAdmissible: settings.RankAdmissible));
        var runner = new BatchedEpisodeRunner(suite.CreateEnvironment, policy,
            new MultiTrialOptions(settings.Trials, settings.MaxTurnsPerTrial, settings.MemorySize), settings.UseReflector)
        {
            PlannerPrompt = suite.PlannerPrompt with { HistoryWindow = settings.HistoryWindow },
            ReflectorPrompt = suite.ReflectorPrompt,
            MaxConcurrentEpisodes = settings.Batch,
        };
        return runner.Run(tasks, progress, episodeIds, cancel);
    }
}

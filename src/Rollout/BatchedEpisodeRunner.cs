using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Rollout.Agents;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Rollout;

/// <summary>
/// Runs many episodes in lock step against a language-model policy: every active episode contributes its pending
/// prompt to one batch, the policy answers the batch, each episode advances. Batching is what makes small-model
/// rollouts fast on a CPU (one forward pass serves many episodes); the fixed order of requests makes the result
/// independent of timing, so a seeded run reproduces exactly.
/// </summary>
public sealed class BatchedEpisodeRunner(Func<ITextEnvironment> environmentFactory, ITextPolicy policy, MultiTrialOptions options, bool useReflector)
{
    public PlannerPrompt PlannerPrompt { get; init; } = PlannerPrompt.Household;
    public ReflectorPrompt ReflectorPrompt { get; init; } = ReflectorPrompt.Household;

    /// <summary>Episodes in at most this many environments at once (the batch size of generation).</summary>
    public int MaxConcurrentEpisodes { get; init; } = 16;

    /// <summary>
    /// Episodes in the order of <paramref name="tasks"/>. <paramref name="progress"/> receives the number finished.
    /// <paramref name="cancel"/> stops the run before its next generation round (an <see cref="OperationCanceledException"/>):
    /// an evaluation of many episodes takes minutes, and a Ctrl-C should not wait for all of them.
    /// </summary>
    public IReadOnlyList<Episode> Run(IReadOnlyList<TaskSpec> tasks, IProgress<int>? progress = null, Func<int, Guid>? episodeIds = null,
                                      CancellationToken cancel = default)
    {
        if (MaxConcurrentEpisodes < 1) throw new ArgumentException($"MaxConcurrentEpisodes = {MaxConcurrentEpisodes}; allowed: ≥ 1");
        var results = new Episode[tasks.Count];
        var active = new List<(int Index, EpisodeStepper Stepper, ITextEnvironment Environment)>();
        int next = 0, finished = 0;
        try
        {
            while (finished < tasks.Count)
            {
                cancel.ThrowIfCancellationRequested();
                while (active.Count < MaxConcurrentEpisodes && next < tasks.Count)
                {
                    ITextEnvironment environment = environmentFactory();
                    Guid id = episodeIds?.Invoke(next) ?? Guid.NewGuid();
                    active.Add((next, new EpisodeStepper(environment, tasks[next], options, useReflector, PlannerPrompt, ReflectorPrompt, id), environment));
                    next++;
                }

                var requests = active.Select(a => new GenerationRequest(a.Stepper.Pending!.Role, a.Stepper.Pending.Prompt, a.Stepper.Pending.Admissible)).ToList();
                IReadOnlyList<AgentText> answers = policy.Generate(requests);
                if (answers.Count != requests.Count)
                    throw new InvalidOperationException($"the policy answered {answers.Count} of {requests.Count} requests");
                for (int i = 0; i < active.Count; i++) active[i].Stepper.Submit(answers[i]);

                for (int i = active.Count - 1; i >= 0; i--)
                {
                    if (!active[i].Stepper.Done) continue;
                    results[active[i].Index] = active[i].Stepper.Result;
                    active[i].Environment.Dispose();
                    active.RemoveAt(i);
                    finished++;
                    progress?.Report(finished); // never `Report(++finished)`: with no progress sink the argument is not evaluated
                }
            }
        }
        finally
        {
            foreach (var a in active) a.Environment.Dispose();
        }
        return results;
    }
}

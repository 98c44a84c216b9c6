using System.Security.Cryptography;
using System.Text;
using RetroAct.Rollout;
using RetroAct.Rollout.Imitation;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Learner.Serial;

/// <summary>Settings of imitation-data generation: how many tasks, the expert's (tight) turn budget, trials and memory.
/// <paramref name="WholeTrials"/> writes one planner example per successful trial (its whole scratchpad after the
/// prompt, the RetroAct code's form) instead of one per turn; <paramref name="FirstTask"/> offsets the task indices, so
/// two sets drawn with one seed (e.g. a tight-budget reflection set) use different games.</summary>
public sealed record ImitationDataSettings(int Tasks, int MaxTurnsPerTrial, int Trials, int MemorySize, int HistoryWindow, int Seed,
                                           bool WholeTrials = false, int FirstTask = 0);

/// <summary>
/// Stage-1 data (ALGORITHMS.md §1): the expert plays the planner and the reflection oracle the reflector over
/// multi-trial episodes of training tasks; the evaluator keeps successful planner turns and reflections after which
/// the next trial succeeds. A tight turn budget makes some first trials fail, so reflections get written and the
/// reflection-reading expert shows in the next trial how a reflection is used.
/// </summary>
public static class ImitationDataGenerator
{
    public static List<ImitationExample> Generate(ITrainingSuite suite, ImitationDataSettings settings, IProgress<int>? progress = null)
    {
        var plannerPrompt = suite.PlannerPrompt with { HistoryWindow = settings.HistoryWindow };
        var options = new MultiTrialOptions(Trials: Math.Max(2, settings.Trials), MaxTurnsPerTrial: settings.MaxTurnsPerTrial, MemorySize: settings.MemorySize);
        var builder = new ImitationDataBuilder(plannerPrompt, suite.ReflectorPrompt, settings.MemorySize, perTurn: !settings.WholeTrials);
        var examples = new List<ImitationExample>();
        using var environment = suite.CreateEnvironment();
        var runner = new MultiTrialRunner(environment, suite.CreateExpert(), suite.CreateOracle(), options)
        {
            PlannerPrompt = plannerPrompt,
            ReflectorPrompt = suite.ReflectorPrompt,
        };
        for (int n = 0; n < settings.Tasks; n++)
        {
            int i = settings.FirstTask + n;
            examples.AddRange(builder.FromEpisode(runner.Run(suite.Task("train", settings.Seed, i), EpisodeId(settings.Seed, "il", i))));
            progress?.Report(n + 1);
        }
        return examples;
    }

    /// <summary>Episode ids derived from the run seed, so two runs with one seed write identical files.</summary>
    public static Guid EpisodeId(int seed, string label, int index) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{label}/{index}")).AsSpan(0, 16));
}

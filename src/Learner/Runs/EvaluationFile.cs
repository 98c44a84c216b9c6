using System.Text.Json;
using RetroAct.Learner.Serial;
using RetroAct.Rollout.Evaluation;

namespace RetroAct.Learner.Runs;

/// <summary>
/// A run's evaluation.json (IR, FR, AR and the reward per trial index of every evaluated stage) and its two plots.
/// Written after every evaluation, so a crashed run keeps the stages it finished, and read back when a learner
/// resumes, so the resumed run's file still lists them.
/// </summary>
public static class EvaluationFile
{
    public const string FileName = "evaluation.json";

    private sealed record Entry(string Stage, double Ir, double Fr, double Ar, IReadOnlyList<double> ByTrial, int Episodes);

    /// <summary>Writes evaluation.json and plots/reward_per_trial.png and plots/ir_fr_ar.png; <paramref name="title"/> names the run in the plots.</summary>
    public static void Write(RunDirectory run, IReadOnlyList<StageResult> results, string evalSplit, string title)
    {
        run.WriteJson(FileName, results.Select(r => new Entry(r.Stage, r.Metrics.Ir, r.Metrics.Fr, r.Metrics.Ar, r.Metrics.ByTrial, r.Metrics.Episodes)));
        if (results.Count == 0) return;
        Plots.RewardPerTrial(Path.Combine(run.PlotsPath, "reward_per_trial.png"),
            results.Select(r => (r.Stage, r.Metrics.ByTrial)).ToList(), $"{title} {evalSplit}: reward per trial");
        Plots.MetricsPerIteration(Path.Combine(run.PlotsPath, "ir_fr_ar.png"), results.Select(r => (r.Metrics.Ir, r.Metrics.Fr, r.Metrics.Ar)).ToList(), title);
    }

    /// <summary>The stages recorded in <paramref name="runPath"/>'s evaluation.json (none when there is no file); a malformed file is an error naming it.</summary>
    public static IReadOnlyList<StageResult> Read(string runPath)
    {
        string path = Path.Combine(runPath, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            var entries = JsonSerializer.Deserialize<List<Entry>>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
            return [.. entries.Select(e => e.Stage is null || e.ByTrial is null
                ? throw new InvalidDataException($"{path}: an entry lacks its Stage or ByTrial")
                : new StageResult(e.Stage, new TrialMetrics(e.Ir, e.Fr, e.Ar, e.ByTrial, e.Episodes)))];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid evaluation file ({e.Message})", e);
        }
    }
}

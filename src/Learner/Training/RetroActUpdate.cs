using RetroAct.Learner.Losses;
using RetroAct.Learner.Policy;

namespace RetroAct.Learner.Training;

/// <summary>Settings of one RetroAct update: epochs over the RL samples, batch size, learning rate, loss options, seed.</summary>
public sealed record RetroActUpdateSettings(int Epochs, int BatchSize, double LearningRate, RetroActLossOptions Loss, int Seed);

/// <summary>
/// One learner update of stage 2 (ALGORITHMS.md §2), as the serial trainer does it per iteration: a fresh AdamW
/// optimiser, <see cref="RetroActUpdateSettings.Epochs"/> shuffled passes over the RL samples, each RL sample paired
/// with one imitation sample of the same role (the IL set resampled to the RL set's size). The actor learner calls
/// it once per policy version.
/// </summary>
public static class RetroActUpdate
{
    /// <summary>Runs the update in place on <paramref name="models"/>; <paramref name="logStep"/> receives each step's statistics. Returns the steps taken.</summary>
    public static int Run(AgentModels models, IReadOnlyList<TrainingSample> rl, IReadOnlyList<TrainingSample> imitation,
                          RetroActUpdateSettings settings, Action<int, IReadOnlyDictionary<string, double>> logStep)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(rl);
        ArgumentNullException.ThrowIfNull(imitation);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logStep);
        if (rl.Count == 0) return 0;
        int stepsPerEpoch = (rl.Count + settings.BatchSize - 1) / settings.BatchSize;
        using var trainer = new JointTrainer(models, new OptimizerSettings(settings.LearningRate, WarmupSteps: 0), settings.Epochs * stepsPerEpoch);
        var random = new Random(settings.Seed);
        var imitationByRole = imitation.GroupBy(i => i.Role).ToDictionary(g => g.Key, g => g.ToList());
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var order = rl.OrderBy(_ => random.Next()).ToList();
            for (int s = 0; s < stepsPerEpoch; s++)
            {
                var rlBatch = order.Skip(s * settings.BatchSize).Take(settings.BatchSize).ToList();
                var ilBatch = rlBatch.Where(r => imitationByRole.ContainsKey(r.Role))
                    .Select(r => imitationByRole[r.Role][random.Next(imitationByRole[r.Role].Count)]).ToList();
                logStep(trainer.Step, trainer.RetroActStep(rlBatch, ilBatch, settings.Loss).Values);
            }
        }
        return trainer.Step;
    }
}

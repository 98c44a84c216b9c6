using RetroAct.Cli.Commands;
using RetroAct.Environments.Household.Generation;
using RetroAct.Environments.Remote;
using RetroAct.Learner.Serial;

namespace RetroAct.Cli.Training;

/// <summary>The environment families the trainer can use, by configuration name.</summary>
public static class TrainingSuites
{
    public static ITrainingSuite Create(TrainingConfig config) => config.Env switch
    {
        "household" => new HouseholdTrainingSuite(config.Agent.MaxTurnsPerTrial, config.Data.ExpertThoughts, HouseholdTaskType(config.Data.TaskType), config.Data.FoundThoughts),
        "wikiqa" => new WikiQaTrainingSuite(),
        "sql" => new SqlTrainingSuite(),
        "remote" => new RemoteTrainingSuite(
            Create(new TrainingConfig { Env = config.Remote.Env, Agent = config.Agent }),
            new RemoteEnvironmentOptions { Address = config.Remote.Address, CallDeadline = TimeSpan.FromSeconds(config.Remote.CallDeadlineSeconds) }),
        _ => throw new ArgumentException($"Env = '{config.Env}': no training suite; allowed: {string.Join(", ", TrainingConfig.Environments)}"),
    };

    /// <summary>Null for all task types; otherwise one of the household's six, or a usage error naming them.</summary>
    private static string? HouseholdTaskType(string taskType) =>
        taskType == "" ? null
        : HouseholdTaskTypes.All.Contains(taskType) ? taskType
        : throw new CliUsageException($"Data:TaskType = '{taskType}'; allowed: empty (all types) or one of {string.Join(", ", HouseholdTaskTypes.All)}");
}

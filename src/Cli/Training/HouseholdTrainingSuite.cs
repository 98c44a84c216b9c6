using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Environments.Household;
using RetroAct.Environments.Household.Agents;
using RetroAct.Environments.Household.Generation;
using RetroAct.Learner.Serial;
using RetroAct.Rollout.Agents;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Cli.Training;

/// <summary>The household environment for training: generated games, the observation-only expert (reading
/// reflections when its trial has any) and the reflection oracle, in the agent loop's interfaces; with
/// <paramref name="taskType"/>, every game is of that task type; <paramref name="foundThoughts"/> as in
/// <see cref="HouseholdExpert"/>.</summary>
public sealed class HouseholdTrainingSuite(int maxStepsPerTrial, bool expertThoughts = false, string? taskType = null, bool foundThoughts = true) : ITrainingSuite
{
    public string Name => "household";
    public PlannerPrompt PlannerPrompt => PlannerPrompt.Household;
    public ReflectorPrompt ReflectorPrompt => ReflectorPrompt.Household;

    public ITextEnvironment CreateEnvironment() =>
        new HouseholdEnvironment(new HouseholdOptions { MaxSteps = Math.Max(50, maxStepsPerTrial) });

    public TaskSpec Task(string split, int seed, int index) => ExpertEvaluation.GameTask(split, seed, index, taskType);

    public string TaskKind(TaskSpec task) => task.TaskType ?? HouseholdGenerator.Generate(task).Goal.TaskType;

    public IPlannerAgent CreateExpert() => new ExpertPlanner(expertThoughts, foundThoughts);

    public IReflectorAgent CreateOracle() => new OracleReflector(ReflectionOracle.Write);

    /// <summary>The expert as a planner: plain in a first trial, reflection-aware once its prompt holds reflections.</summary>
    private sealed class ExpertPlanner(bool thoughts, bool foundThoughts) : IPlannerAgent
    {
        private IHouseholdAgent _agent = new HouseholdExpert(thoughts: thoughts, foundThoughts: foundThoughts);

        public void BeginTrial(TrialContext context)
        {
            _agent = context.Reflections.Count == 0
                ? new HouseholdExpert(thoughts: thoughts, foundThoughts: foundThoughts)
                : new ReflectionAwareExpert(context.Reflections.Select(r => r.Text), thoughts, foundThoughts);
            _agent.Reset(context.InitialObservation);
        }

        public AgentText NextTurn(string observation) => new(_agent.NextAction(observation));
    }
}

using RetroAct.Environments.Household.Agents;
using RetroAct.Environments.Household.Generation;

namespace RetroAct.Environments.Tests.Household.Agents;

public class ExpertThoughtsTests
{
    [Fact]
    public void ThoughtsDoNotChangeTheExpertsCommandsAndNameWhatItTakesAndWhereItGoes()
    {
        using var sim = HouseholdExpertTests.Simulator(150);
        foreach (var type in HouseholdTaskTypes.All)
            for (int i = 0; i < 20; i++)
            {
                var task = ExpertEvaluation.GameTask("unseen", 321, i, type);
                var plain = AgentRunner.Run(sim, task, new HouseholdExpert(), 150);
                var thinking = AgentRunner.Run(sim, task, new HouseholdExpert(thoughts: true), 150);
                var commands = thinking.Turns.Select(t => t.Action).Where(a => !ExpertThoughts.IsThought(a)).ToList();
                Assert.Equal(plain.Turns.Select(t => t.Action), commands);
                Assert.True(thinking.Success, $"{task}: {string.Join(" | ", thinking.Turns.Select(t => t.Action))}");

                var thoughts = thinking.Turns.Select(t => t.Action).Where(ExpertThoughts.IsThought).ToList();
                Assert.StartsWith("think: To solve the task, I need to find and take ", thinking.Turns[0].Action);
                // Every object taken was announced as found before it was taken, and announced as taken right after.
                for (int t = 0; t < thinking.Turns.Count; t++)
                {
                    var action = thinking.Turns[t].Action;
                    if (!action.StartsWith("take ", StringComparison.Ordinal) || !thinking.Turns[t].Observation.StartsWith("You pick up", StringComparison.Ordinal)) continue;
                    var item = string.Join(' ', action.Split(' ')[1..3]);
                    Assert.Contains(thinking.Turns.Take(t), turn => turn.Action.StartsWith($"think: Now I find {item}.", StringComparison.Ordinal));
                    Assert.StartsWith($"think: Now I take {item}. Next, I need to ", thinking.Turns[t + 1].Action);
                }
                // A processing step names the appliance the expert then goes to.
                if (GoalVerb(type) is { } verb)
                {
                    var taken = thoughts.First(s => s.StartsWith("think: Now I take ", StringComparison.Ordinal));
                    var appliance = taken[(taken.IndexOf("go to ", StringComparison.Ordinal) + 6)..taken.IndexOf(" and ", StringComparison.Ordinal)];
                    Assert.Contains(commands, c => c.StartsWith($"{verb} ", StringComparison.Ordinal) && c.EndsWith($" with {appliance}", StringComparison.Ordinal));
                }
            }
    }

    [Fact]
    public void WithoutFoundThoughtsTheExpertLeavesOutExactlyTheAnnouncementsOfWhatItFound()
    {
        using var sim = HouseholdExpertTests.Simulator(150);
        foreach (var type in HouseholdTaskTypes.All)
            for (int i = 0; i < 10; i++)
            {
                var task = ExpertEvaluation.GameTask("unseen", 321, i, type);
                var all = AgentRunner.Run(sim, task, new HouseholdExpert(thoughts: true), 150);
                var fewer = AgentRunner.Run(sim, task, new HouseholdExpert(thoughts: true, foundThoughts: false), 150);
                Assert.True(fewer.Success, $"{task}: {string.Join(" | ", fewer.Turns.Select(t => t.Action))}");
                Assert.Contains(all.Turns, t => t.Action.StartsWith("think: Now I find ", StringComparison.Ordinal));
                Assert.Equal(all.Turns.Select(t => t.Action).Where(a => !a.StartsWith("think: Now I find ", StringComparison.Ordinal)),
                             fewer.Turns.Select(t => t.Action));
            }
    }

    [Fact]
    public void ThePlanNamesTheSearchOrderTheExpertFollows()
    {
        using var sim = HouseholdExpertTests.Simulator(150);
        for (int i = 0; i < 30; i++)
        {
            var task = ExpertEvaluation.GameTask("unseen", 99, i, HouseholdTaskTypes.PickAndPlace);
            var trial = AgentRunner.Run(sim, task, new HouseholdExpert(thoughts: true), 150);
            var plan = trial.Turns[0].Action;
            var listed = plan[(plan.IndexOf("more likely to appear in ", StringComparison.Ordinal) + 25)..plan.IndexOf(". I will check", StringComparison.Ordinal)].Split(", ");
            var visited = trial.Turns.Select(t => t.Action).Where(a => a.StartsWith("go to ", StringComparison.Ordinal)).Select(a => a[6..]).ToList();
            // Until the object is found, the expert goes to the listed places in the listed order.
            int firstFound = trial.Turns.ToList().FindIndex(t => t.Action.StartsWith("think: Now I find ", StringComparison.Ordinal));
            var searchVisits = trial.Turns.Take(firstFound).Select(t => t.Action).Where(a => a.StartsWith("go to ", StringComparison.Ordinal)).Select(a => a[6..]).ToList();
            Assert.Equal(listed[0], visited[0]);
            var positions = searchVisits.Select(v => Array.IndexOf(listed, v)).Where(p => p >= 0).ToList();
            Assert.Equal(positions.Order(), positions);
            Assert.Equal(positions.Distinct().Count(), positions.Count);
        }
    }

    private static string? GoalVerb(string type) => type switch
    {
        HouseholdTaskTypes.Clean => "clean",
        HouseholdTaskTypes.Heat => "heat",
        HouseholdTaskTypes.Cool => "cool",
        _ => null,
    };
}

namespace RetroAct.Environments.Household.Agents;

/// <summary>
/// The sentences of the expert's "think:" lines, in the form of the ReAct ALFWorld transcripts ("To solve the task, I
/// need to find and take a …", "Now I find … Next, I need to …"). They restate the goal and name the next receptacle
/// right where the next actions are written, so a small planner can copy the plan from nearby text instead of
/// recalling the goal sentence from the start of its prompt.
/// </summary>
public static class ExpertThoughts
{
    public const string Prefix = "think: ";

    /// <summary>How many receptacles of the search order the plan names (the rest of a long list is rarely reached).</summary>
    public const int PlacesNamed = 10;

    public static bool IsThought(string action) => action.StartsWith("think:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The whole plan, then where to look first for the object.</summary>
    public static string Plan(HouseholdGoal goal, IReadOnlyList<string> searchOrder)
    {
        string steps = goal.TaskType switch
        {
            Generation.HouseholdTaskTypes.Look => $"find and take a {goal.Object}, then find and use a {goal.Toggle}",
            Generation.HouseholdTaskTypes.PickTwo =>
                $"find and take the first {goal.Object}, then put it in/on {goal.Receptacle}, then find and take the second {goal.Object}, then put it in/on {goal.Receptacle}",
            _ when goal.Verb is { } verb =>
                $"find and take a {goal.Object}, then {verb} it with {goal.Appliance}, then put it in/on {goal.Receptacle}",
            _ => $"find and take a {goal.Object}, then put it in/on {goal.Receptacle}",
        };
        return $"{Prefix}To solve the task, I need to {steps}. {SearchSentence(goal.Object, searchOrder)}";
    }

    public static string Found(string item, string next) => $"{Prefix}Now I find {item}. Next, I need to {next}.";

    public static string TakenForProcessing(string item, string verb, string? appliance) =>
        $"{Prefix}Now I take {item}. Next, I need to go to {appliance ?? "a place to " + verb + " it"} and {verb} it.";

    public static string TakenForPlacing(string item, string? target) =>
        $"{Prefix}Now I take {item}. Next, I need to put it in/on {target ?? "the target"}.";

    public static string TakenForLamp(string item, string lampClass, IReadOnlyList<string> searchOrder) =>
        $"{Prefix}Now I take {item}. Next, I need to find a {lampClass}. {SearchSentence(lampClass, searchOrder)}";

    public static string TakenWithLampKnown(string item, string lamp) =>
        $"{Prefix}Now I take {item}. Next, I need to use {lamp}.";

    public static string Processed(string item, string verb, string? target) =>
        $"{Prefix}Now I {verb} {item}. Next, I need to put it in/on {target ?? "the target"}.";

    public static string FirstPlaced(string item, string receptacle, string objectClass, IReadOnlyList<string> searchOrder) =>
        $"{Prefix}Now I put {item} in/on {receptacle}. Next, I need to find the second {objectClass}. {SearchSentence(objectClass, searchOrder)}";

    private static string SearchSentence(string objectClass, IReadOnlyList<string> searchOrder) =>
        searchOrder.Count == 0
            ? $"I need to look for a {objectClass}."
            : $"A {objectClass} is more likely to appear in {string.Join(", ", searchOrder.Take(PlacesNamed))}. I will check them one by one.";
}

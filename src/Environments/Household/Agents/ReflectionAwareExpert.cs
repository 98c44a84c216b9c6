using System.Text.RegularExpressions;

namespace RetroAct.Environments.Household.Agents;

/// <summary>
/// The household expert that first reads the reflections written after earlier failed trials of the same game
/// (by <see cref="ReflectionOracle"/> or anything using its sentence forms): it goes straight to where objects were
/// seen, checks the places the plan names first, and skips places already searched without finding the object.
/// </summary>
public sealed partial class ReflectionAwareExpert : IHouseholdAgent
{
    private readonly HouseholdExpert _expert;

    /// <summary>Hints read from the reflections, oldest first (later reflections add to earlier ones).</summary>
    public ExpertHints Hints { get; }

    public ReflectionAwareExpert(IEnumerable<string> reflections, bool thoughts = false, bool foundThoughts = true)
    {
        Hints = ReadHints(reflections);
        _expert = new HouseholdExpert(Hints, thoughts, foundThoughts);
    }

    public void Reset(string openingObservation) => _expert.Reset(openingObservation);

    public string NextAction(string observation) => _expert.NextAction(observation);

    [GeneratedRegex(@"I have already searched (?<list>[^.]*)\.")]
    private static partial Regex SearchedSentence();

    [GeneratedRegex(@"I saw an? (?<cls>[a-z]+) in/on (?<list>[^.]*)\.")]
    private static partial Regex SawSentence();

    [GeneratedRegex(@"(first check|go directly to) (?<list>[a-z0-9 ,]*?) (for|and take) an? (?<cls>[a-z]+)")]
    private static partial Regex CheckSentence();

    [GeneratedRegex(@"[a-z]+ \d+")]
    private static partial Regex ReceptacleId();

    /// <summary>Per class: places to check first (where it was seen, then the plan's list) and places searched without seeing it.</summary>
    public static ExpertHints ReadHints(IEnumerable<string> reflections)
    {
        var searched = new List<string>();
        var seen = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var planned = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reflection in reflections)
        {
            foreach (Match m in SearchedSentence().Matches(reflection)) searched.AddRange(Ids(m.Groups["list"].Value));
            foreach (Match m in SawSentence().Matches(reflection)) Add(seen, m.Groups["cls"].Value, Ids(m.Groups["list"].Value));
            foreach (Match m in CheckSentence().Matches(reflection)) Add(planned, m.Groups["cls"].Value, Ids(m.Groups["list"].Value));
        }
        var classes = seen.Keys.Concat(planned.Keys).Distinct(StringComparer.Ordinal).ToList();
        return new ExpertHints
        {
            CheckFirst = classes.ToDictionary(c => c,
                c => (IReadOnlyList<string>)seen.GetValueOrDefault(c, []).Concat(planned.GetValueOrDefault(c, [])).Distinct(StringComparer.Ordinal).ToList()),
            // A place searched without the class being seen there need not be searched again for it: the game replays unchanged.
            AlreadySearched = classes.ToDictionary(c => c,
                c => (IReadOnlySet<string>)searched.Except(seen.GetValueOrDefault(c, []), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal)),
        };
    }

    private static IEnumerable<string> Ids(string list) => ReceptacleId().Matches(list).Select(m => m.Value);

    private static void Add(Dictionary<string, List<string>> map, string key, IEnumerable<string> ids)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        foreach (var id in ids)
            if (!list.Contains(id)) list.Add(id);
    }
}

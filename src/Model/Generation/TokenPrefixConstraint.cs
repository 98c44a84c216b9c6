namespace RetroAct.Model.Generation;

/// <summary>
/// A constraint for <see cref="GenerationOptions.AllowedNextTokens"/>: the output must be one of the
/// <c>choices</c> (complete token sequences, e.g. each admissible command with its newline), or begin with one of the
/// <c>openings</c>, after which anything may follow (e.g. "think:", so a planner may still write a thought).
/// When the tokens so far match nothing (which the constraint itself prevents), it lets the model write freely.
/// </summary>
public sealed class TokenPrefixConstraint(IReadOnlyList<int[]> choices, IReadOnlyList<int[]> openings)
{
    public IReadOnlyCollection<int>? AllowedNext(IReadOnlyList<int> generated)
    {
        foreach (int[] opening in openings)
            if (generated.Count >= opening.Length && StartsWith(generated, opening, opening.Length)) return null;
        var next = new HashSet<int>();
        foreach (int[] candidate in choices.Concat(openings))
            if (candidate.Length > generated.Count && StartsWith(candidate, generated, generated.Count)) next.Add(candidate[generated.Count]);
        return next.Count > 0 ? next : null;
    }

    private static bool StartsWith(IReadOnlyList<int> sequence, IReadOnlyList<int> prefix, int length)
    {
        for (int i = 0; i < length; i++)
            if (sequence[i] != prefix[i]) return false;
        return true;
    }
}

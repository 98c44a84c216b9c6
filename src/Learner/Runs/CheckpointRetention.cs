using System.Globalization;

namespace RetroAct.Learner.Runs;

/// <summary>
/// Keeps a run's disk use bounded (<c>Rl:KeepCheckpoints</c>): after each RL checkpoint, the RL checkpoint folders
/// (<c>rl-N</c>) older than the newest <c>keep</c> are deleted. A run of 500 versions of the 1m model otherwise kept
/// 3.1 GB of checkpoints. Never deleted: the imitation checkpoint, any folder not named <c>rl-N</c>, and the one
/// <c>latest.txt</c> names (what <c>--resume</c> continues from).
/// </summary>
public static class CheckpointRetention
{
    /// <summary>Deletes the RL checkpoints beyond the newest <paramref name="keep"/> (0 keeps them all); returns the folders deleted.</summary>
    public static IReadOnlyList<string> Prune(string checkpointsPath, int keep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        if (keep == 0 || !Directory.Exists(checkpointsPath)) return [];
        string latestFile = Path.Combine(checkpointsPath, "latest.txt");
        string? latest = File.Exists(latestFile) ? File.ReadAllText(latestFile).Trim() : null;
        var deleted = new List<string>();
        foreach (var (folder, _) in RlCheckpoints(checkpointsPath).OrderByDescending(c => c.Version).Skip(keep))
        {
            if (Path.GetFileName(folder) == latest) continue;
            Directory.Delete(folder, recursive: true);
            deleted.Add(folder);
        }
        return deleted;
    }

    /// <summary>What a checkpoint line adds about <paramref name="deleted"/>: nothing, or " (deleted rl-1, rl-2: Rl:KeepCheckpoints = 3)".</summary>
    public static string Describe(IReadOnlyList<string> deleted, int keep) =>
        deleted.Count == 0 ? "" : $" (deleted {string.Join(", ", deleted.Select(Path.GetFileName))}: Rl:KeepCheckpoints = {keep})";

    /// <summary>The <c>rl-N</c> folders under <paramref name="checkpointsPath"/> with their N.</summary>
    public static IEnumerable<(string Folder, long Version)> RlCheckpoints(string checkpointsPath)
    {
        foreach (string folder in Directory.EnumerateDirectories(checkpointsPath, "rl-*"))
            if (RlIteration(Path.GetFileName(folder)) is { } version)
                yield return (folder, version);
    }

    /// <summary>N for an RL stage name ("rl-N", as checkpoints and evaluation.json name it); null for any other stage.</summary>
    public static long? RlIteration(string stage) =>
        stage.StartsWith("rl-", StringComparison.Ordinal) && long.TryParse(stage.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
}

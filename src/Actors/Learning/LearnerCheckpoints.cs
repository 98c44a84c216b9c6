using System.Text.Json;
using RetroAct.Learner.Policy;

namespace RetroAct.Actors.Learning;

/// <summary>
/// What the actor learner needs beyond the agent checkpoint to continue after a crash: the policy version (also in
/// agent.json; the two must agree), the data cursor (how many tasks it has queued, so resumed tasks are new ones),
/// and the learner epoch (how many times the run was resumed). The optimiser needs no state: every update starts a
/// fresh AdamW (see RetroActUpdate), and its shuffling seed is derived from the version.
/// </summary>
public sealed record LearnerState(long PolicyVersion, long TasksQueued, long Epoch)
{
    public const string FileName = "learner-state.json";
}

/// <summary>Where to resume from: the checkpoint folder, its stage, its learner state.</summary>
public sealed record ResumePoint(string Folder, string Stage, LearnerState State);

/// <summary>
/// Reads and writes the actor learner's checkpoints in a run directory: <c>checkpoints/STAGE/</c> (the agent
/// checkpoint plus <see cref="LearnerState.FileName"/>) and <c>checkpoints/latest.txt</c> naming the newest complete
/// one. latest.txt is replaced atomically and only after the folder is complete, so a crash mid-save leaves the
/// previous checkpoint in charge.
/// </summary>
public static class LearnerCheckpoints
{
    public const string LatestFile = "latest.txt";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the learner state into <paramref name="folder"/> (after the agent checkpoint) and points latest.txt at it.</summary>
    public static void Commit(string checkpointsPath, string folder, LearnerState state)
    {
        File.WriteAllText(Path.Combine(folder, LearnerState.FileName), JsonSerializer.Serialize(state, Json) + "\n");
        string latest = Path.Combine(checkpointsPath, LatestFile);
        string temporary = latest + ".tmp";
        File.WriteAllText(temporary, Path.GetFileName(folder) + "\n");
        File.Move(temporary, latest, overwrite: true);
    }

    /// <summary>
    /// The checkpoint latest.txt names, checked: the folder exists, agent.json parses, the learner state agrees with
    /// it (the imitation checkpoint needs no learner state: it is version 0 with nothing queued). The models are not
    /// loaded here (their SHA-256 manifests are checked when they are). Throws <see cref="InvalidDataException"/>
    /// with a message that names the file and says what to do.
    /// </summary>
    public static ResumePoint FindLatest(string runPath)
    {
        string checkpoints = Path.Combine(runPath, "checkpoints");
        string latest = Path.Combine(checkpoints, LatestFile);
        if (!File.Exists(latest))
            throw new InvalidDataException($"cannot resume: {latest} does not exist, so {runPath} has no checkpoint to resume from; " +
                                           "start the run without --resume");
        string stage = File.ReadAllText(latest).Trim();
        if (stage.Length == 0 || stage.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || stage is "." or "..")
            throw new InvalidDataException($"cannot resume: {latest} names no checkpoint ('{stage}')");
        string folder = Path.Combine(checkpoints, stage);
        string infoPath = Path.Combine(folder, AgentCheckpoint.InfoFile);
        if (!File.Exists(infoPath))
            throw new InvalidDataException($"cannot resume: {latest} names checkpoint '{stage}', but {infoPath} does not exist (incomplete or deleted checkpoint)");
        AgentCheckpointInfo info;
        try
        {
            info = JsonSerializer.Deserialize<AgentCheckpointInfo>(File.ReadAllText(infoPath))
                   ?? throw new InvalidDataException($"cannot resume: {infoPath} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"cannot resume: {infoPath} is corrupt ({e.Message})", e);
        }

        string statePath = Path.Combine(folder, LearnerState.FileName);
        LearnerState state;
        if (!File.Exists(statePath))
        {
            if (info.PolicyVersion != 0)
                throw new InvalidDataException($"cannot resume: {statePath} does not exist (checkpoint '{stage}' at policy version {info.PolicyVersion} is incomplete)");
            state = new LearnerState(0, 0, 0);
        }
        else
        {
            try
            {
                state = JsonSerializer.Deserialize<LearnerState>(File.ReadAllText(statePath))
                        ?? throw new InvalidDataException($"cannot resume: {statePath} is empty");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"cannot resume: {statePath} is corrupt ({e.Message})", e);
            }
        }
        if (state.PolicyVersion != info.PolicyVersion)
            throw new InvalidDataException($"cannot resume: {statePath} says policy version {state.PolicyVersion} but {infoPath} says {info.PolicyVersion}");
        if (state.TasksQueued < 0 || state.Epoch < 0)
            throw new InvalidDataException($"cannot resume: {statePath} has a negative cursor or epoch ({state})");
        return new ResumePoint(folder, stage, state);
    }
}

using RetroAct.Actors.Inference;
using RetroAct.Core.Environments;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Tests.Actors;

/// <summary>A policy backend that answers every prompt with "look" and records each batch and each weight swap.</summary>
public sealed class RecordingBackend(long version = 0) : IPolicyBackend
{
    private readonly List<int> _batchSizes = [];
    private readonly List<GenerationRequest> _requests = [];
    private readonly List<(long Version, byte[] Blob)> _loads = [];
    private readonly object _gate = new();

    public long Version { get; private set; } = version;

    public IReadOnlyList<int> BatchSizes { get { lock (_gate) return [.. _batchSizes]; } }

    /// <summary>Every request generated for, in order.</summary>
    public IReadOnlyList<GenerationRequest> Requests { get { lock (_gate) return [.. _requests]; } }

    public IReadOnlyList<(long Version, byte[] Blob)> Loads { get { lock (_gate) return [.. _loads]; } }

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
    {
        lock (_gate)
        {
            _batchSizes.Add(requests.Count);
            _requests.AddRange(requests);
        }
        return [.. requests.Select(r => new AgentText("look") { TokenIds = [1, 2], BehaviourLogProbs = [-0.5f, -0.25f], PolicyVersion = Version })];
    }

    public void LoadWeights(long version, byte[] blob)
    {
        lock (_gate) _loads.Add((version, blob.ToArray()));
        Version = version;
    }

    public void Dispose()
    {
    }
}

/// <summary>An environment whose every step ends the trial with success; or, with <c>failWith</c>, one that throws on reset.</summary>
public sealed class ScriptedEnvironment(Exception? failWith = null) : ITextEnvironment
{
    public EnvironmentInfo Info { get; } = new("scripted", 5, ["train"], []);

    public IReadOnlyList<string>? AdmissibleActions => null;

    public StepResult Reset(TaskSpec task) => failWith is null ? new StepResult("You are in a room.", 0, false, false) : throw failWith;

    public StepResult Step(string action) => new("Done.", 1, true, true);

    public void Dispose()
    {
    }
}

/// <summary>An environment whose steps never end a trial: every episode runs to its turn limit; <paramref name="admissible"/>: its commands at every turn.</summary>
public sealed class EndlessEnvironment(IReadOnlyList<string>? admissible = null) : ITextEnvironment
{
    public EnvironmentInfo Info { get; } = new("endless", 5, ["train"], []);

    public IReadOnlyList<string>? AdmissibleActions => admissible;

    public StepResult Reset(TaskSpec task) => new("You are in a room.", 0, false, false);

    public StepResult Step(string action) => new("Nothing happens.", 0, false, false);

    public void Dispose()
    {
    }
}

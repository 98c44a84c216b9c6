using RetroAct.Actors.Inference;
using RetroAct.Core.Environments;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Benchmarks;

/// <summary>
/// A zero-cost policy for measuring the rollout machinery alone: the planner always writes
/// <paramref name="plannerAction"/> and the reflector a fixed line, without a model. Serves both the serial runner
/// (<see cref="ITextPolicy"/>) and a PolicyServer (<see cref="IPolicyBackend"/>), so both paths play identical episodes.
/// </summary>
public sealed class ScriptedPolicy(string plannerAction = "look") : IPolicyBackend, ITextPolicy
{
    private const string Reflection = "I looked around but did not act on the task; next time I will go to the receptacles it names.";

    private long _calls, _requests;

    public long Version => -1;

    /// <summary>Requests per call so far: how full the batches were.</summary>
    public double MeanBatch => Interlocked.Read(ref _calls) == 0 ? 0 : (double)Interlocked.Read(ref _requests) / Interlocked.Read(ref _calls);

    public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _requests, requests.Count);
        return [.. requests.Select(r => new AgentText(r.Role == AgentRole.Planner ? plannerAction : Reflection))];
    }

    public void LoadWeights(long version, byte[] blob) => throw new NotSupportedException("a scripted policy has no weights");

    public void Dispose()
    {
    }
}

/// <summary>Environment steps counted across threads (workers step their environments concurrently).</summary>
public sealed class StepCounter
{
    private long _steps;

    public long Steps => Interlocked.Read(ref _steps);

    public void Add() => Interlocked.Increment(ref _steps);

    public void Reset() => Interlocked.Exchange(ref _steps, 0);
}

/// <summary>Passes everything to <paramref name="inner"/> and counts its steps.</summary>
public sealed class CountingEnvironment(ITextEnvironment inner, StepCounter counter) : ITextEnvironment
{
    public EnvironmentInfo Info => inner.Info;

    public IReadOnlyList<string>? AdmissibleActions => inner.AdmissibleActions;

    public StepResult Reset(TaskSpec task) => inner.Reset(task);

    public StepResult Step(string action)
    {
        counter.Add();
        return inner.Step(action);
    }

    public void Dispose() => inner.Dispose();
}

using RetroAct.Actors.Hosting;
using RetroAct.Cli.Commands;

namespace RetroAct.Cli.Training;

/// <summary>The actor runtime's settings from <c>retroact train</c>'s options, validated with messages that name the option.</summary>
public static class ActorRuntime
{
    public static ActorRuntimeOptions Options(int? workers, int? maxPolicyLag)
    {
        var options = new ActorRuntimeOptions();
        if (workers is { } k)
        {
            if (k < 1) throw new CliUsageException($"--workers {k}: allowed: ≥ 1");
            options = options with { WorkersPerNode = k };
        }
        if (maxPolicyLag is { } lag)
        {
            if (lag < 0) throw new CliUsageException($"--max-policy-lag {lag}: allowed: ≥ 0");
            options = options with { Replay = options.Replay with { MaxPolicyLag = lag } };
        }
        return options;
    }
}

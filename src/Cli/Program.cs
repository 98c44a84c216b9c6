using System.CommandLine;
using RetroAct.Cli.Commands;

namespace RetroAct.Cli;

/// <summary>Entry point of the <c>retroact</c> executable.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // Before any thread allocates tensors: see NativeAllocator (the actor runtime's threads faulted pages per step).
        Model.NativeAllocator.Tune();
        return BuildRootCommand().Parse(args).Invoke();
    }

    /// <summary>The whole command tree; tests parse against it too.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("RetroAct.Distributed: train retrospective language agents (planner + reflector) on text environments.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(EnvCommands.Create());
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(BenchCommands.Create());
        return root;
    }
}

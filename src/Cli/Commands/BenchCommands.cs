using System.CommandLine;

namespace RetroAct.Cli.Commands;

/// <summary><c>retroact bench SUITE</c>: measured benchmarks (ratios taken in one run).</summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark suite and print its results.");
        bench.Subcommands.Add(BenchEnvCommand.Create());
        bench.Subcommands.Add(BenchModelCommand.Create());
        bench.Subcommands.Add(BenchClusterCommand.Create());
        return bench;
    }
}

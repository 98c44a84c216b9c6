using System.Diagnostics;
using System.Globalization;

namespace RetroAct.Cli.Cluster;

/// <summary>
/// Starts and stops the processes of a local training cluster on 127.0.0.1 (the same topology docker compose runs:
/// a seed, a learner with the replay role, N rollout nodes), each writing its log to the run directory's logs/.
/// </summary>
public static class LocalClusterLauncher
{
    /// <summary>Starts one <c>retroact node</c> process with <paramref name="arguments"/>; its output goes to <paramref name="log"/>.</summary>
    public static int Start(IReadOnlyList<string> arguments, string log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log))!);
        // sh redirects the node's output to its log and then becomes the node (exec), so the pid is the node's.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" >>\"$RETROACT_NODE_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("retroact-node");
        foreach (var part in SelfCommand().Concat(arguments)) start.ArgumentList.Add(part);
        start.Environment["RETROACT_NODE_LOG"] = Path.GetFullPath(log);
        // The workstation GC: these processes share one machine's cores, where the server GC that `retroact` runs
        // alone (RetroAct.Cli.csproj) gives each its own GC threads that spin on cores the others need; a cluster
        // test then saw one rollout node finish no episode while the other played them all. A variable already set wins.
        if (Environment.GetEnvironmentVariable("DOTNET_gcServer") is null) start.Environment["DOTNET_gcServer"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {string.Join(' ', arguments)}");
        return process.Id;
    }

    /// <summary>Whether the process is still running.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }

    /// <summary>Asks the process to leave the cluster (SIGTERM → CoordinatedShutdown); kills it if it has not exited after <paramref name="grace"/>.</summary>
    public static bool Stop(int pid, TimeSpan grace)
    {
        if (!IsAlive(pid)) return true;
        if (!SendSigterm(pid)) return !IsAlive(pid);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsAlive(pid)) return true;
            Thread.Sleep(200);
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // exited meanwhile
        }
        return false;
    }

    /// <summary>A number as the command line writes it.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// How to run retroact: its apphost next to the running code (also when that code runs inside a test host), else
    /// <c>dotnet retroact.dll</c>.
    /// </summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "retroact.exe" : "retroact");
        if (File.Exists(apphost)) return [apphost];
        string assembly = Path.Combine(AppContext.BaseDirectory, "retroact.dll");
        if (File.Exists(assembly)) return ["dotnet", assembly];
        throw new FileNotFoundException($"neither {apphost} nor {assembly} exists: cannot start cluster nodes", apphost);
    }

    // .NET can only SIGKILL another process; kill(1) sends the SIGTERM that makes a node leave the cluster gracefully.
    internal static bool SendSigterm(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Text(pid)]) { UseShellExecute = false })
                         ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }
}

using System.Diagnostics;
using RetroAct.Actors.Hosting;
using RetroAct.Cli.Commands;

namespace RetroAct.Cli.Tests.Deploy;

/// <summary>
/// docker-compose.yml and deploy/entrypoint.sh against the CLI they start (no Docker engine needed): every node's
/// command line, as the entry point would run it, parses with <c>retroact</c>'s own command tree, names only known
/// roles, and seeds from the seed service; the entry point finds the container's IP and resumes a learner.
/// </summary>
public sealed class DeployFilesTests
{
    /// <summary>The address the tests give a container in place of <c>hostname -i</c>.</summary>
    private const string ContainerIp = "172.18.0.7";

    private static readonly IReadOnlyList<ComposeService> Services = ComposeFile.Read(Path.Combine(RepoRoot, "docker-compose.yml"));

    [Fact]
    public void The_compose_file_has_the_seed_learner_rollout_and_dashboard_services()
    {
        Assert.Equal(new[] { "seed", "learner", "rollout", "dashboard" }, Services.Select(s => s.Name));
        Assert.All(Services, s => Assert.Equal("node", s.Command.FirstOrDefault()));
    }

    [Fact]
    public async Task Every_node_command_line_parses_with_the_real_cli_and_names_only_known_roles()
    {
        foreach (var service in Services)
        {
            var argv = await EntrypointArgvAsync(service);
            Assert.True(argv.Count > 2 && argv[0] == "retroact" && argv[1] == "node", $"{service.Name}: {string.Join(' ', argv)}");
            var parse = Program.BuildRootCommand().Parse(argv.Skip(1).ToArray());
            Assert.True(parse.Errors.Count == 0,
                $"{service.Name}: `{string.Join(' ', argv)}` does not parse: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Equal("node", parse.CommandResult.Command.Name);
            var roles = NodeCommand.Split(parse.GetValue<string>("--roles")!);
            Assert.NotEmpty(roles);
            Assert.All(roles, role => Assert.True(ActorRoles.All.Contains(role),
                $"{service.Name}: role '{role}' is not one of {string.Join(", ", ActorRoles.All)}"));
            Assert.Equal("0.0.0.0", parse.GetValue<string>("--host"));
        }
    }

    [Fact]
    public void The_services_hold_the_roles_the_architecture_gives_them()
    {
        Assert.Equal("seed", Option(Service("seed"), "--roles"));
        Assert.Equal("learner,replay", Option(Service("learner"), "--roles"));
        Assert.Equal("rollout", Option(Service("rollout"), "--roles"));
        Assert.Equal("dashboard", Option(Service("dashboard"), "--roles"));
    }

    [Fact]
    public async Task Every_service_seeds_from_the_seed_service_and_the_seed_answers_to_that_address()
    {
        var seed = Service("seed");
        string port = Option(seed, "--port") ?? throw new InvalidOperationException("the seed service has no fixed --port");
        Assert.True(int.TryParse(port, out int seedPort) && seedPort > 0, $"seed --port {port}");
        string expected = $"akka.tcp://{RetroActAkka.SystemName}@{seed.Name}:{seedPort}";
        foreach (var service in Services)
        {
            var parse = Program.BuildRootCommand().Parse((await EntrypointArgvAsync(service)).Skip(1).ToArray());
            Assert.Equal(new[] { expected }, NodeCommand.Split(parse.GetValue<string>("--seeds") ?? ""));
        }

        // The seed forms the cluster only if it is its own first seed: its address must be the one the others dial.
        var seedParse = Program.BuildRootCommand().Parse((await EntrypointArgvAsync(seed)).Skip(1).ToArray());
        Assert.Equal(seed.Name, seedParse.GetValue<string>("--public-host"));
        Assert.Equal(seedPort, seedParse.GetValue<int>("--port"));
    }

    [Fact]
    public async Task Nodes_other_than_the_seed_are_reached_at_their_container_ip()
    {
        foreach (var service in Services.Where(s => s.Name != "seed"))
        {
            Assert.False(service.Environment.ContainsKey("RETROACT_PUBLIC_HOST"), $"{service.Name} would share one public host among its replicas");
            var parse = Program.BuildRootCommand().Parse((await EntrypointArgvAsync(service)).Skip(1).ToArray());
            Assert.Equal(ContainerIp, parse.GetValue<string>("--public-host"));
        }
    }

    [Fact]
    public void The_learner_and_the_rollout_nodes_share_one_run_directory_on_one_volume_and_the_same_training_options()
    {
        var learner = Service("learner");
        var rollout = Service("rollout");
        string runDir = Option(learner, "--run-dir") ?? throw new InvalidOperationException("the learner has no --run-dir");
        Assert.Equal(runDir, Option(rollout, "--run-dir"));
        foreach (string option in new[] { "--preset", "--env", "--algo", "--seed", "--config" })
            Assert.Equal(Option(learner, option), Option(rollout, option));
        Assert.Equal(learner.Environment.Where(e => e.Key.StartsWith("RETROACT__", StringComparison.Ordinal)),
                     rollout.Environment.Where(e => e.Key.StartsWith("RETROACT__", StringComparison.Ordinal)));
        foreach (var service in new[] { learner, rollout })
        {
            var mount = service.Volumes.Select(v => v.Split(':')).SingleOrDefault(v => v.Length >= 2 && runDir.StartsWith(v[1].TrimEnd('/') + "/", StringComparison.Ordinal));
            Assert.True(mount is not null, $"{service.Name}: no volume holds {runDir} ({string.Join(", ", service.Volumes)})");
            Assert.DoesNotContain('/', mount[0]); // a named volume, shared by both services
        }
    }

    [Fact]
    public void The_rollout_service_scales_and_the_dashboard_publishes_port_8080()
    {
        var rollout = Service("rollout");
        Assert.False(rollout.Keys.Contains("container_name"), "a container_name would stop --scale rollout=N");
        Assert.False(rollout.Keys.Contains("ports"), "a host port would stop --scale rollout=N");
        var dashboard = Service("dashboard");
        Assert.Contains("8080:8080", dashboard.Ports);
        Assert.Equal("8080", Option(dashboard, "--dashboard-port"));
    }

    [Fact]
    public async Task The_entrypoint_finds_the_first_non_loopback_ipv4_address()
    {
        Assert.Equal("172.18.0.5", PublicHost(await RunEntrypointAsync(["node", "--roles", "seed"], new() { ["FAKE_IPS"] = "127.0.0.1 fe80::42 172.18.0.5 10.0.0.9" }, fakeHostname: true)));
        Assert.Equal("fd00::5", PublicHost(await RunEntrypointAsync(["node", "--roles", "seed"], new() { ["FAKE_IPS"] = "::1 fd00::5" }, fakeHostname: true)));
        Assert.Equal("seed", PublicHost(await RunEntrypointAsync(["node", "--roles", "seed"], new() { ["FAKE_IPS"] = "172.18.0.5", ["RETROACT_PUBLIC_HOST"] = "seed" }, fakeHostname: true)));

        // An address given on the command line wins, and is not given twice (the parser would reject that).
        var given = await RunEntrypointAsync(["node", "--roles", "seed", "--public-host=10.9.9.9", "--host", "10.9.9.9"], new() { ["FAKE_IPS"] = "172.18.0.5" }, fakeHostname: true);
        Assert.Equal(new[] { "retroact", "node", "--roles", "seed", "--public-host=10.9.9.9", "--host", "10.9.9.9" }, given.Argv);

        var none = await RunEntrypointAsync(["node", "--roles", "seed"], new() { ["FAKE_IPS"] = "127.0.0.1" }, fakeHostname: true);
        Assert.NotEqual(0, none.Code);
        Assert.Contains("RETROACT_PUBLIC_HOST", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entrypoint_passes_other_commands_through_unchanged()
    {
        var train = await RunEntrypointAsync(["train", "--preset", "quick", "--set", "Rl:Lambda=2 3"], new() { ["RETROACT_PUBLIC_HOST"] = ContainerIp });
        Assert.Equal(new[] { "retroact", "train", "--preset", "quick", "--set", "Rl:Lambda=2 3" }, train.Argv);
        Assert.Equal(new[] { "retroact", "--help" }, (await RunEntrypointAsync([], new())).Argv);
    }

    [Fact]
    public async Task A_restarted_learner_resumes_only_when_its_run_has_a_checkpoint()
    {
        string run = Directory.CreateTempSubdirectory("retroact-deploy-").FullName;
        try
        {
            var auto = new Dictionary<string, string> { ["RETROACT_AUTO_RESUME"] = "1", ["RETROACT_PUBLIC_HOST"] = ContainerIp };
            string[] learner = ["node", "--roles=learner,replay", $"--run-dir={run}"];
            Assert.DoesNotContain("--resume", (await RunEntrypointAsync(learner, auto)).Argv);

            Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
            await File.WriteAllTextAsync(Path.Combine(run, "checkpoints", "latest.txt"), "rl-2\n");
            var resumed = await RunEntrypointAsync(learner, auto);
            Assert.Equal(1, resumed.Argv.Count(a => a == "--resume"));
            Assert.Empty(Program.BuildRootCommand().Parse(resumed.Argv.Skip(1).ToArray()).Errors);
            Assert.Equal(1, (await RunEntrypointAsync([.. learner, "--resume"], auto)).Argv.Count(a => a == "--resume"));
            Assert.DoesNotContain("--resume", (await RunEntrypointAsync(["node", "--roles", "rollout", "--run-dir", run], auto)).Argv);
            Assert.DoesNotContain("--resume", (await RunEntrypointAsync(learner, new() { ["RETROACT_PUBLIC_HOST"] = ContainerIp })).Argv);

            // A finished run is resumed too: `retroact node --resume` then trains nothing and keeps its results
            // (ActorRuntimeTrainTests.ResumeContinuesFromTheLatestCheckpointAtTheNextVersion checks that).
            await File.WriteAllTextAsync(Path.Combine(run, "evaluation.json"), "[\n  {\n    \"Stage\": \"rl-2\"\n  }\n]\n");
            Assert.Contains("--resume", (await RunEntrypointAsync(learner, auto)).Argv);
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void The_image_runs_the_entrypoint_and_the_compose_file_builds_that_image()
    {
        string dockerfile = File.ReadAllText(Path.Combine(RepoRoot, "deploy", "Dockerfile"));
        Assert.Matches(@"(?m)^ENTRYPOINT \[""/app/entrypoint\.sh""\]\s*$", dockerfile);
        Assert.Matches(@"(?m)^COPY deploy/entrypoint\.sh /app/entrypoint\.sh\s*$", dockerfile);
        Assert.Matches(@"(?m)^\s*dotnet publish src/Cli -c Release -o /app\b", dockerfile);
        // exec: retroact, not the shell, receives docker's SIGTERM and leaves the cluster gracefully.
        Assert.Matches(@"(?m)^\s*exec ""\$@""\s*$", File.ReadAllText(Path.Combine(RepoRoot, "deploy", "entrypoint.sh")));
        Assert.Contains("dockerfile: deploy/Dockerfile", File.ReadAllText(Path.Combine(RepoRoot, "docker-compose.yml")), StringComparison.Ordinal);
    }

    private static ComposeService Service(string name) => Services.Single(s => s.Name == name);

    /// <summary>An option's value in a service's command (--name=value or --name value); null when absent.</summary>
    private static string? Option(ComposeService service, string name)
    {
        var command = service.Command;
        for (int i = 0; i < command.Count; i++)
        {
            if (command[i].StartsWith(name + "=", StringComparison.Ordinal)) return command[i][(name.Length + 1)..];
            if (command[i] == name && i + 1 < command.Count) return command[i + 1];
        }
        return null;
    }

    private static string? PublicHost(EntrypointRun run)
    {
        Assert.True(run.Code == 0, run.Error);
        int at = run.Argv.ToList().IndexOf("--public-host");
        return at < 0 ? null : run.Argv[at + 1];
    }

    /// <summary>The command line the entry point would exec for a service (its environment, and a container IP for hostname -i's).</summary>
    private static async Task<IReadOnlyList<string>> EntrypointArgvAsync(ComposeService service)
    {
        var environment = new Dictionary<string, string>(service.Environment);
        environment.TryAdd("RETROACT_PUBLIC_HOST", ContainerIp);
        var run = await RunEntrypointAsync(service.Command, environment);
        Assert.True(run.Code == 0, $"{service.Name}: entrypoint failed: {run.Error}");
        return run.Argv;
    }

    private sealed record EntrypointRun(int Code, IReadOnlyList<string> Argv, string Error);

    /// <summary>Runs deploy/entrypoint.sh with RETROACT_DRY_RUN=1 (it prints the command, one argument per line).</summary>
    private static async Task<EntrypointRun> RunEntrypointAsync(IReadOnlyList<string> args, Dictionary<string, string> environment, bool fakeHostname = false)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepoRoot, "deploy", "entrypoint.sh"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["RETROACT_DRY_RUN"] = "1";
        foreach (string name in new[] { "RETROACT_PUBLIC_HOST", "RETROACT_HOST", "RETROACT_AUTO_RESUME" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        string? fakeBin = null;
        if (fakeHostname)
        {
            // A stand-in for hostname(1): `hostname -i` prints $FAKE_IPS, as a container's would print its addresses.
            fakeBin = Directory.CreateTempSubdirectory("retroact-deploy-bin-").FullName;
            string hostname = Path.Combine(fakeBin, "hostname");
            await File.WriteAllTextAsync(hostname, "#!/bin/sh\nif [ \"${1:-}\" = -i ]; then echo \"$FAKE_IPS\"; else echo not-in-etc-hosts; fi\n");
            if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the entry point is a POSIX shell script");
            File.SetUnixFileMode(hostname, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            start.Environment["PATH"] = fakeBin + ":" + start.Environment["PATH"];
        }
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            string output = await stdout;
            return new EntrypointRun(process.ExitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), await stderr);
        }
        finally
        {
            if (fakeBin is not null) Directory.Delete(fakeBin, recursive: true);
        }
    }

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RetroAct.Distributed.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("repository root not found");
        }
    }
}

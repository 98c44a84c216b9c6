using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Benchmarks;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Rollout;
using RetroAct.Environments.Household;
using RetroAct.Environments.Household.Agents;
using RetroAct.Environments.Household.Generation;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Actors.Tests.Rollout;

/// <summary>Where a rollout node's workers run: the compute thread with the PolicyServer, or the thread pool.</summary>
public sealed class RolloutNodeThreadsTests() : TestKit(ConfigurationFactory.ParseString(ComputeDispatcher.Hocon))
{
    [Theory]
    [InlineData(WorkerThreads.Compute)]
    [InlineData(WorkerThreads.Pool)]
    public void Workers_run_where_the_settings_say_and_the_policy_server_on_the_compute_thread(WorkerThreads threads)
    {
        var settings = new RolloutNodeSettings(2, Episodes(), new RolloutWorkerOptions { Environments = 2 }, new RetroAct.Actors.Inference.PolicyServerOptions(),
            ReportEvery: TimeSpan.Zero, Threads: threads);
        var nobody = ActorRefs.Nobody;
        Sys.ActorOf(RolloutNode.Props(settings, () => new ScriptedPolicy(), new RolloutPeers(nobody, nobody, nobody, nobody)), "rollout");

        string expectedWorker = threads == WorkerThreads.Compute ? ComputeDispatcher.Id : Akka.Dispatch.Dispatchers.DefaultDispatcherId;
        foreach (string worker in new[] { "worker-0", "worker-1" })
            Assert.Equal(expectedWorker, DispatcherOf($"/user/rollout/{worker}"));
        Assert.Equal(ComputeDispatcher.Id, DispatcherOf("/user/rollout/policy-server"));
    }

    [Fact]
    public void The_runtime_puts_workers_on_the_compute_thread_except_for_the_remote_environment()
    {
        var defaults = new ActorRuntimeOptions();
        Assert.Equal(WorkerThreads.Compute, defaults.ResolvedWorkerThreads("household"));
        Assert.Equal(WorkerThreads.Compute, defaults.ResolvedWorkerThreads("sql"));
        Assert.Equal(WorkerThreads.Pool, defaults.ResolvedWorkerThreads("remote"));
        Assert.Equal(WorkerThreads.Pool, (defaults with { WorkerThreads = WorkerThreads.Pool }).ResolvedWorkerThreads("household"));
        Assert.Equal(WorkerThreads.Compute, (defaults with { WorkerThreads = WorkerThreads.Compute }).ResolvedWorkerThreads("remote"));
        // Actors placed with the workers (the task dispatcher of one process) run on their thread.
        Assert.Equal(ComputeDispatcher.Id, ComputeDispatcher.For(WorkerThreads.Compute));
        Assert.Equal(Akka.Dispatch.Dispatchers.DefaultDispatcherId, ComputeDispatcher.For(WorkerThreads.Pool));
    }

    [Theory]
    [InlineData(WorkerThreads.Compute)]
    [InlineData(WorkerThreads.Pool)]
    public void Either_way_the_actor_path_plays_every_episode_the_serial_runner_plays(WorkerThreads threads)
    {
        // Through a real dispatcher, node and replay buffer with its log on disk: every lease completes only after the
        // buffer's ack, and both paths step the environments the same number of times.
        var tasks = Enumerable.Range(0, 24).Select(i => ExpertEvaluation.GameTask(HouseholdSplits.Train, 7, i)).ToList();
        var settings = new ActorOverheadSettings(Workers: 2, EnvironmentsPerWorker: 3, WarmUpEpisodes: 2, new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 4, MemorySize: 2),
            PlannerPrompt.Household, ReflectorPrompt.Household, TimeSpan.FromMilliseconds(5), Threads: threads);
        using var scratch = new TempDirectory();

        var result = ActorOverheadBenchmark.Run(() => new HouseholdEnvironment(new HouseholdOptions { MaxSteps = 50 }), tasks, settings, scratch.Path, _ => { });

        Assert.Equal(tasks.Count, result.Actors.Episodes);
        Assert.Equal(result.Serial.Steps, result.Actors.Steps);
        Assert.Equal(tasks.Count + settings.WarmUpEpisodes, result.Leases.Completed);
    }

    private string DispatcherOf(string path)
    {
        // The node creates its children when it starts, after ActorOf has returned.
        IActorRef? actor = null;
        AwaitAssert(() => actor = Sys.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(1)).GetAwaiter().GetResult(),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        return ((ActorRefWithCell)actor!).Underlying.Props.Dispatcher;
    }

    private static EpisodeSettings Episodes() =>
        new(() => new HouseholdEnvironment(new HouseholdOptions()), new MultiTrialOptions(Trials: 1, MaxTurnsPerTrial: 2, MemorySize: 1), UseReflector: false,
            PlannerPrompt.Household, ReflectorPrompt.Household);
}

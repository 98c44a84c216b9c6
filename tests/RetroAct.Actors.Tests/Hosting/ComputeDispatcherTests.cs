using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Hosting;

namespace RetroAct.Actors.Tests.Hosting;

public sealed class ComputeDispatcherTests() : TestKit(ConfigurationFactory.ParseString(ComputeDispatcher.Hocon))
{
    private sealed record WhichThread
    {
        public static readonly WhichThread Instance = new();
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public ThreadReporter() => Receive<WhichThread>(_ => Sender.Tell(Environment.CurrentManagedThreadId));
    }

    [Fact]
    public async Task Compute_actors_of_one_system_share_one_thread_apart_from_the_thread_pool()
    {
        // One libtorch thread per process keeps libgomp from throttling its spin-waits (ComputeDispatcher says why).
        var computeProps = Props.Create(() => new ThreadReporter()).WithDispatcher(ComputeDispatcher.Id);
        var learnerLike = Sys.ActorOf(computeProps, "learner-like");
        var serverLike = Sys.ActorOf(computeProps, "server-like");
        var light = Sys.ActorOf(Props.Create(() => new ThreadReporter()), "light");

        var computeThreads = new HashSet<int>();
        for (int i = 0; i < 5; i++)
        {
            computeThreads.Add(await learnerLike.Ask<int>(WhichThread.Instance, TimeSpan.FromSeconds(10)));
            computeThreads.Add(await serverLike.Ask<int>(WhichThread.Instance, TimeSpan.FromSeconds(10)));
        }
        int lightThread = await light.Ask<int>(WhichThread.Instance, TimeSpan.FromSeconds(10));

        Assert.Single(computeThreads);
        Assert.NotEqual(computeThreads.Single(), lightThread);
    }

    [Fact]
    public void A_thread_of_its_own_returns_the_result_and_ends()
    {
        Thread? worker = null;
        int answer = ThreadOfItsOwn.Run("test-work", () =>
        {
            worker = Thread.CurrentThread;
            return 42;
        });

        Assert.Equal(42, answer);
        Assert.NotSame(Thread.CurrentThread, worker);
        Assert.Equal("test-work", worker!.Name);
        Assert.False(worker.IsAlive);
    }

    [Fact]
    public void A_thread_of_its_own_rethrows_the_work_s_exception_unchanged()
    {
        var thrown = Assert.Throws<InvalidDataException>(() => ThreadOfItsOwn.Run<int>("test-work", () => throw new InvalidDataException("bad checkpoint")));
        Assert.Equal("bad checkpoint", thrown.Message);
        Assert.Contains(nameof(A_thread_of_its_own_rethrows_the_work_s_exception_unchanged), thrown.StackTrace); // the trace starts in the work
    }

    [Fact]
    public void A_policy_server_sharing_the_thread_with_a_learner_gets_patient_workers()
    {
        var defaults = new ActorRuntimeOptions();
        Assert.True(defaults.Workers.GenerationTimeout < ActorRuntimeOptions.SharedThreadGenerationTimeout); // else this tests nothing

        var shared = defaults.WithLearnerOnTheComputeThread();
        Assert.Equal(ActorRuntimeOptions.SharedThreadGenerationTimeout, shared.Workers.GenerationTimeout);
        Assert.Equal(defaults.Workers.AckTimeout, shared.Workers.AckTimeout);

        var longer = defaults with { Workers = defaults.Workers with { GenerationTimeout = TimeSpan.FromHours(2) } };
        Assert.Equal(TimeSpan.FromHours(2), longer.WithLearnerOnTheComputeThread().Workers.GenerationTimeout);
    }
}

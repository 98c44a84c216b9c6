using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Grpc.Core;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Rollout;
using RetroAct.Environments.Remote;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Actors.Tests.Actors;

public sealed class RolloutWorkerTests : TestKit
{
    // Generous: the test machine is shared, and a busy thread pool can be slow to run an actor.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static EpisodeSettings Episodes(Func<Core.Environments.ITextEnvironment> environment) =>
        new(environment, new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 3, MemorySize: 1), UseReflector: true,
            PlannerPrompt.Household, ReflectorPrompt.Household);

    // A policy server stand-in that ignores the workers' status messages (tested on their own below).
    private TestProbe PolicyProbe()
    {
        var policy = CreateTestProbe();
        policy.IgnoreMessages<PolicyClientStatus>();
        return policy;
    }

    private static readonly RolloutWorkerOptions Fast = new()
    {
        AckTimeout = TimeSpan.FromMilliseconds(500),
        GenerationTimeout = TimeSpan.FromSeconds(5),
        RetryDelay = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public void An_environment_that_throws_gives_the_lease_back_and_the_worker_carries_on()
    {
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var unavailable = new RemoteEnvironmentUnavailableException("environment server 127.0.0.1:50051 unreachable", StatusCode.Unavailable);
        var worker = Sys.ActorOf(RolloutWorker.Props(0, Episodes(() => new ScriptedEnvironment(unavailable)), policy, dispatcher, CreateTestProbe(), Fast));

        var request = dispatcher.ExpectMsg<LeaseRequest>(Patience);
        Assert.Equal(0, request.Worker.WorkerId);
        var lease = new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1));
        worker.Tell(lease, dispatcher);

        var givenBack = dispatcher.ExpectMsg<LeaseGivenBack>(Patience);
        Assert.Equal(lease.LeaseId, givenBack.LeaseId);
        Assert.Contains("unreachable", givenBack.Reason, StringComparison.Ordinal);
        Assert.Contains(nameof(RemoteEnvironmentUnavailableException), givenBack.Reason, StringComparison.Ordinal);
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        // Alive: after the pause it asks for work again.
        dispatcher.ExpectMsg<LeaseRequest>(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_real_remote_environment_whose_server_is_down_gives_the_lease_back_and_nothing_crashes()
    {
        // A port nobody listens on: bind, read the port, release it.
        var probeListener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probeListener.Start();
        int port = ((System.Net.IPEndPoint)probeListener.LocalEndpoint).Port;
        probeListener.Stop();
        var options = new RemoteEnvironmentOptions
        {
            Address = $"http://127.0.0.1:{port}",
            CallDeadline = TimeSpan.FromSeconds(2),
            Retries = 1,
            RetryBackoff = TimeSpan.FromMilliseconds(50),
        };
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var worker = Sys.ActorOf(RolloutWorker.Props(0, Episodes(() => new RemoteEnvironment(options)), policy, dispatcher, CreateTestProbe(), Fast));

        dispatcher.ExpectMsg<LeaseRequest>(Patience);
        var lease = new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1));
        worker.Tell(lease, dispatcher);

        var givenBack = dispatcher.ExpectMsg<LeaseGivenBack>(Patience);
        Assert.Equal(lease.LeaseId, givenBack.LeaseId);
        Assert.Contains(nameof(RemoteEnvironmentUnavailableException), givenBack.Reason, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), givenBack.Reason, StringComparison.Ordinal);
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // no generation was asked for a task that never started
        dispatcher.ExpectMsg<LeaseRequest>(Patience);       // the worker is alive and asks for work again
    }

    [Fact]
    public void A_finished_episode_is_sent_again_until_acknowledged_and_then_the_lease_completes()
    {
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var replay = CreateTestProbe();
        var worker = Sys.ActorOf(RolloutWorker.Props(1, Episodes(() => new ScriptedEnvironment()), policy, dispatcher, replay, Fast));
        dispatcher.ExpectMsg<LeaseRequest>(Patience);
        var lease = new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1));
        worker.Tell(lease, dispatcher);

        var generate = policy.ExpectMsg<GenerateRequest>(Patience);
        Assert.Equal(PolicyRole.Planner, generate.Role);
        worker.Tell(new GenerateResponse(generate.RequestId, "open drawer 1", [4, 5], [-0.3f, -0.7f], PolicyVersion: 7), policy);

        var first = replay.ExpectMsg<TrajectoryBatch>(Patience);
        Assert.Equal((7L, 7L), (first.OldestPolicyVersion, first.NewestPolicyVersion));
        Assert.True(first.Episode.Trials.Single().Success);
        dispatcher.ExpectMsg<LeaseRequest>(Patience); // idle again while the trajectory waits for its ack

        // No ack: the same trajectory comes again after the ack timeout.
        var resent = replay.ExpectMsg<TrajectoryBatch>(TimeSpan.FromSeconds(2));
        Assert.Equal(first.TrajectoryId, resent.TrajectoryId);
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        worker.Tell(new TrajectoryAck(first.TrajectoryId, Duplicate: false), replay);
        var completed = dispatcher.ExpectMsg<LeaseCompleted>(Patience);
        Assert.Equal((lease.LeaseId, first.TrajectoryId), (completed.LeaseId, completed.TrajectoryId));
        // Acknowledged: after any copy already on its way, no more re-sends.
        replay.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m as TrajectoryBatch);
        replay.ExpectNoMsg(TimeSpan.FromMilliseconds(800));
    }

    [Fact]
    public void A_worker_tells_its_policy_server_not_to_wait_for_it_while_no_task_is_there_for_it()
    {
        var dispatcher = CreateTestProbe();
        var policy = CreateTestProbe();
        var replay = CreateTestProbe();
        var worker = Sys.ActorOf(RolloutWorker.Props(2, Episodes(() => new ScriptedEnvironment()), policy, dispatcher, replay, Fast));
        Assert.Equal(PolicyClientStatus.Playing, policy.ExpectMsg<PolicyClientStatus>(Patience)); // one of the server's workers
        var request = dispatcher.ExpectMsg<LeaseRequest>(Patience);
        worker.Tell(new LeaseRequestParked(request.Count), dispatcher);
        Assert.Equal(PolicyClientStatus.Idle, policy.ExpectMsg<PolicyClientStatus>(Patience));

        worker.Tell(new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1)), dispatcher);
        var generate = policy.ExpectMsg<GenerateRequest>(Patience); // the request itself tells the server it plays again
        worker.Tell(new GenerateResponse(generate.RequestId, "open drawer 1", [4], [-0.3f], PolicyVersion: 1), policy);

        // The episode ended (the scripted environment succeeds at once): it asks for the next lease, which may come at
        // once, so the server keeps waiting for it — until the dispatcher parks the request.
        replay.ExpectMsg<TrajectoryBatch>(Patience);
        dispatcher.ExpectMsg<LeaseRequest>(Patience);
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        worker.Tell(new LeaseRequestParked(1), dispatcher);
        Assert.Equal(PolicyClientStatus.Idle, policy.ExpectMsg<PolicyClientStatus>(Patience));
        worker.Tell(new LeaseRequestParked(1), dispatcher); // a re-sent request parked again: nothing new to say
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_generation_unanswered_within_the_timeout_gives_the_lease_back_but_answered_ones_never_add_up()
    {
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var options = Fast with { GenerationTimeout = TimeSpan.FromSeconds(1) };
        var worker = Sys.ActorOf(RolloutWorker.Props(3, Episodes(() => new EndlessEnvironment()), policy, dispatcher, CreateTestProbe(), options));
        dispatcher.ExpectMsg<LeaseRequest>(Patience);
        var lease = new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1));
        worker.Tell(lease, dispatcher);

        // Each answer comes well within the timeout, but together they take longer than it: the deadline is per request.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int turn = 0; turn < 4; turn++)
        {
            var generate = policy.ExpectMsg<GenerateRequest>(Patience);
            Thread.Sleep(300);
            worker.Tell(new GenerateResponse(generate.RequestId, "look", [1], [-0.1f], PolicyVersion: 0), policy);
        }
        Assert.True(clock.Elapsed > options.GenerationTimeout, $"the answered turns took {clock.Elapsed}");
        dispatcher.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // This one is never answered.
        var unanswered = policy.ExpectMsg<GenerateRequest>(Patience);
        var givenBack = dispatcher.ExpectMsg<LeaseGivenBack>(Patience);
        Assert.Equal(lease.LeaseId, givenBack.LeaseId);
        Assert.Contains("no answer from the policy server", givenBack.Reason, StringComparison.Ordinal);
        Assert.True(clock.Elapsed > options.GenerationTimeout);

        // A late answer to the given-back episode is ignored.
        worker.Tell(new GenerateResponse(unanswered.RequestId, "look", [1], [-0.1f], PolicyVersion: 0), policy);
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_worker_of_several_environments_asks_for_their_texts_together_in_lock_step()
    {
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var replay = CreateTestProbe();
        var options = Fast with { Environments = 3 };
        var worker = Sys.ActorOf(RolloutWorker.Props(4, Episodes(() => new EndlessEnvironment(["look", "inventory"])), policy, dispatcher, replay, options));
        Assert.Equal(3, dispatcher.ExpectMsg<LeaseRequest>(Patience).Count); // a lease for each environment
        var leases = Enumerable.Range(0, 3).Select(_ => new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1))).ToList();
        foreach (var lease in leases) worker.Tell(lease, dispatcher);

        // The first lease's episode asks at once; the two that came while its request was out wait for its answer.
        var first = policy.ExpectMsg<GenerateRequest>(Patience);
        Assert.Equal(["look", "inventory"], first.Admissible!); // for a server that samples within them
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        worker.Tell(new GenerateResponse(first.RequestId, "look", [1], [-0.1f], PolicyVersion: 0), policy);
        var together = policy.ExpectMsg<GenerateRequests>(Patience);
        Assert.Equal(3, together.Requests.Count);
        Assert.Equal(3, together.Requests.Select(r => r.RequestId).Distinct().Count());

        // Answered two of three: the third still holds the round, so nothing is asked.
        worker.Tell(new GenerateResponses(
            [.. together.Requests.Take(2).Select(r => new GenerateResponse(r.RequestId, "look", [1], [-0.1f], PolicyVersion: 0))], []), policy);
        policy.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        worker.Tell(new GenerateResponse(together.Requests[2].RequestId, "look", [1], [-0.1f], PolicyVersion: 0), policy);
        var next = policy.ExpectMsg<GenerateRequests>(Patience);
        Assert.Equal(3, next.Requests.Count);
        Assert.Empty(next.Requests.Select(r => r.RequestId).Intersect(together.Requests.Select(r => r.RequestId)));

        // A failed request gives back its episode's lease alone; the other two go on (and ask for their next texts).
        worker.Tell(new GenerateResponses(
            [.. next.Requests.Skip(1).Select(r => new GenerateResponse(r.RequestId, "look", [1], [-0.1f], PolicyVersion: 0))],
            [new GenerateFailed(next.Requests[0].RequestId, "prompt too long")]), policy);
        var givenBack = dispatcher.ExpectMsg<LeaseGivenBack>(Patience);
        Assert.Contains("prompt too long", givenBack.Reason, StringComparison.Ordinal);
        Assert.Equal(2, policy.ExpectMsg<GenerateRequests>(Patience).Requests.Count);
        // After the pause the free environment asks for a lease again.
        Assert.Equal(1, dispatcher.ExpectMsg<LeaseRequest>(Patience).Count);
        replay.ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // no episode has ended
    }

    [Fact]
    public void A_worker_of_several_environments_plays_each_episode_to_its_end_and_refills_the_slot()
    {
        var dispatcher = CreateTestProbe();
        var policy = PolicyProbe();
        var replay = CreateTestProbe();
        var worker = Sys.ActorOf(RolloutWorker.Props(5, Episodes(() => new ScriptedEnvironment()), policy, dispatcher, replay, Fast with { Environments = 2 }));
        Assert.Equal(2, dispatcher.ExpectMsg<LeaseRequest>(Patience).Count);
        worker.Tell(new TaskLease(Guid.NewGuid(), SampleMessages.Task, DateTimeOffset.UtcNow.AddMinutes(1)), dispatcher);
        var first = policy.ExpectMsg<GenerateRequest>(Patience);
        worker.Tell(new GenerateResponse(first.RequestId, "open drawer 1", [4], [-0.3f], PolicyVersion: 2), policy); // the scripted environment succeeds at once

        var trajectory = replay.ExpectMsg<TrajectoryBatch>(Patience);
        Assert.True(trajectory.Episode.Trials.Single().Success);
        Assert.Equal((2L, 2L), (trajectory.OldestPolicyVersion, trajectory.NewestPolicyVersion));
        // One lease was still owed for the second environment; the finished one asks for the rest of the need.
        Assert.Equal(2, dispatcher.ExpectMsg<LeaseRequest>(Patience).Count);
        worker.Tell(new TrajectoryAck(trajectory.TrajectoryId, Duplicate: false), replay);
        dispatcher.ExpectMsg<LeaseCompleted>(Patience);
    }
}

using Akka.Actor;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Tests.Actors;

public sealed class TaskDispatcherTests : TestKit
{
    // Generous: the test machine is shared, and a busy thread pool can be slow to run an actor.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly WorkerAddress First = new("akka://test", 0), Second = new("akka://test", 1);

    [Fact]
    public async Task A_task_given_back_is_reissued_to_a_waiting_worker()
    {
        var dispatcher = Sys.ActorOf(TaskDispatcher.Props(new TaskLeaseOptions { MaxOutstandingPerWorker = 1 }));
        var firstWorker = CreateTestProbe();
        var secondWorker = CreateTestProbe();
        dispatcher.Tell(new EnqueueTasks([SampleMessages.Task]));

        dispatcher.Tell(new LeaseRequest(First, 1), firstWorker);
        var lease = firstWorker.ExpectMsg<TaskLease>(Patience);
        dispatcher.Tell(new LeaseRequest(Second, 1), secondWorker);
        Assert.Equal(1, secondWorker.ExpectMsg<LeaseRequestParked>(Patience).Count); // parked: no task waits

        dispatcher.Tell(new LeaseGivenBack(lease.LeaseId, "environment server unreachable"), firstWorker);
        var reissued = secondWorker.ExpectMsg<TaskLease>(Patience);
        Assert.Equal(lease.Task, reissued.Task);
        Assert.NotEqual(lease.LeaseId, reissued.LeaseId);

        dispatcher.Tell(new LeaseCompleted(reissued.LeaseId, Guid.NewGuid()), secondWorker);
        var counters = await dispatcher.Ask<TaskLeaseCounters>(TaskDispatcher.GetTaskLeaseCounters.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal((2, 1, 1, 0), (counters.Issued, counters.GivenBack, counters.Completed, counters.Outstanding));
    }

    [Fact]
    public async Task An_overdue_lease_is_reissued_on_the_expiry_timer()
    {
        var dispatcher = Sys.ActorOf(TaskDispatcher.Props(new TaskLeaseOptions { LeaseDuration = TimeSpan.FromMilliseconds(300), MaxOutstandingPerWorker = 1 }));
        var slowWorker = CreateTestProbe();
        var otherWorker = CreateTestProbe();
        dispatcher.Tell(new EnqueueTasks([SampleMessages.Task]));
        dispatcher.Tell(new LeaseRequest(First, 1), slowWorker);
        var lease = slowWorker.ExpectMsg<TaskLease>(Patience);

        dispatcher.Tell(new LeaseRequest(Second, 1), otherWorker);
        otherWorker.ExpectMsg<LeaseRequestParked>(Patience); // the only task is out
        var reissued = otherWorker.ExpectMsg<TaskLease>(TimeSpan.FromSeconds(3));
        Assert.Equal(lease.Task, reissued.Task);

        // The slow worker's late completion is accepted without error (counted as late).
        dispatcher.Tell(new LeaseCompleted(lease.LeaseId, Guid.NewGuid()), slowWorker);
        var counters = await dispatcher.Ask<TaskLeaseCounters>(TaskDispatcher.GetTaskLeaseCounters.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal((1, 1L), (counters.Expired, counters.LateReports));
    }

    [Fact]
    public void A_worker_at_its_bound_is_not_told_parked_while_tasks_wait()
    {
        var dispatcher = Sys.ActorOf(TaskDispatcher.Props(new TaskLeaseOptions { MaxOutstandingPerWorker = 1 }));
        var worker = CreateTestProbe();
        dispatcher.Tell(new EnqueueTasks([SampleMessages.Task, SampleMessages.Task with { Seed = 8 }]));
        dispatcher.Tell(new LeaseRequest(First, 1), worker);
        var first = worker.ExpectMsg<TaskLease>(Patience);

        // At its bound (its trajectory not yet acknowledged): parked, but a task waits for it, so it is not idle.
        dispatcher.Tell(new LeaseRequest(First, 1), worker);
        worker.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        dispatcher.Tell(new LeaseCompleted(first.LeaseId, Guid.NewGuid()), worker);
        Assert.Equal(8, worker.ExpectMsg<TaskLease>(Patience).Task.Seed);
    }
}

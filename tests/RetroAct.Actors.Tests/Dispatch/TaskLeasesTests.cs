using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Protocol;
using RetroAct.Core.Environments;

namespace RetroAct.Actors.Tests.Dispatch;

public class TaskLeasesTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly WorkerAddress NodeAWorker0 = new("akka.tcp://retroact@10.0.0.1:4053", 0);
    private static readonly WorkerAddress NodeAWorker1 = new("akka.tcp://retroact@10.0.0.1:4053", 1);
    private static readonly WorkerAddress NodeBWorker0 = new("akka.tcp://retroact@10.0.0.2:4053", 0);

    private readonly ManualClock _clock = new();

    private TaskLeases Dispatcher(int tasks, int maxPerWorker = 2, int leaseMinutes = 10)
    {
        var leases = new TaskLeases(new TaskLeaseOptions { MaxOutstandingPerWorker = maxPerWorker, LeaseDuration = TimeSpan.FromMinutes(leaseMinutes) }, _clock);
        leases.Enqueue(Enumerable.Range(0, tasks).Select(Task));
        return leases;
    }

    private static TaskSpec Task(int seed) => new("household", "train", seed);

    [Fact]
    public void Invalid_options_are_refused_naming_every_bad_value()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TaskLeases(new TaskLeaseOptions { MaxOutstandingPerWorker = 0, LeaseDuration = TimeSpan.Zero }, _clock));
        Assert.Contains("dispatch.max_outstanding_per_worker = 0", ex.Message);
        Assert.Contains("dispatch.lease_duration", ex.Message);
    }

    [Fact]
    public void Leases_carry_the_task_a_unique_id_and_a_deadline()
    {
        var dispatcher = Dispatcher(tasks: 3);

        var leases = dispatcher.Request(NodeAWorker0, 2);

        Assert.Equal([Task(0), Task(1)], leases.Select(l => l.Task));
        Assert.Equal(2, leases.Select(l => l.LeaseId).Distinct().Count());
        Assert.All(leases, l => Assert.Equal(_clock.Now.AddMinutes(10), l.Deadline));
        Assert.Equal((1, 2, 2L), (dispatcher.Pending, dispatcher.Outstanding, dispatcher.Counters.Issued));
    }

    [Fact]
    public void A_worker_never_holds_more_than_its_bound()
    {
        var dispatcher = Dispatcher(tasks: 10, maxPerWorker: 2);

        Assert.Equal(2, dispatcher.Request(NodeAWorker0, 5).Count);
        Assert.Empty(dispatcher.Request(NodeAWorker0, 1));
        Assert.Equal(2, dispatcher.Request(NodeAWorker1, 5).Count); // the bound is per worker
        Assert.Equal(2, dispatcher.OutstandingFor(NodeAWorker0));
    }

    [Fact]
    public void Completing_a_lease_frees_room_for_the_next_and_is_counted()
    {
        var dispatcher = Dispatcher(tasks: 3, maxPerWorker: 1);
        var lease = dispatcher.Request(NodeAWorker0, 1).Single();

        Assert.Equal(LeaseOutcome.Closed, dispatcher.Complete(lease.LeaseId));
        Assert.Equal(LeaseOutcome.Unknown, dispatcher.Complete(lease.LeaseId));

        Assert.Equal(Task(1), dispatcher.Request(NodeAWorker0, 1).Single().Task);
        Assert.Equal((1L, 1L), (dispatcher.Counters.Completed, dispatcher.Counters.LateReports));
    }

    [Fact]
    public void A_lease_given_back_is_reissued_first_to_another_worker()
    {
        var dispatcher = Dispatcher(tasks: 5);
        var lease = dispatcher.Request(NodeAWorker0, 1).Single();

        Assert.Equal(LeaseOutcome.Closed, dispatcher.GiveBack(lease.LeaseId, "environment server unreachable"));

        Assert.Equal(lease.Task, dispatcher.Request(NodeBWorker0, 1).Single().Task);
        Assert.Equal((1L, 1L, 2L), (dispatcher.Counters.GivenBack, dispatcher.Counters.Reissued, dispatcher.Counters.Issued));
        Assert.Equal(0, dispatcher.OutstandingFor(NodeAWorker0));
    }

    [Fact]
    public void A_node_going_down_reissues_all_its_leases_and_only_its()
    {
        var dispatcher = Dispatcher(tasks: 10, maxPerWorker: 4);
        var onA = dispatcher.Request(NodeAWorker0, 2).Concat(dispatcher.Request(NodeAWorker1, 2)).ToList();
        var onB = dispatcher.Request(NodeBWorker0, 2);

        Assert.Equal(4, dispatcher.NodeDown(NodeAWorker0.Node));

        Assert.Equal(2, dispatcher.Outstanding);
        Assert.Equal(onA.Select(l => l.Task), dispatcher.Request(new WorkerAddress("akka.tcp://retroact@10.0.0.3:4053", 0), 4).Select(l => l.Task));
        Assert.Equal((4L, 4L), (dispatcher.Counters.LostWithNode, dispatcher.Counters.Reissued));
        Assert.Equal(LeaseOutcome.Unknown, dispatcher.Complete(onA[0].LeaseId)); // a late report from the lost node
        Assert.Equal(LeaseOutcome.Closed, dispatcher.Complete(onB[0].LeaseId));
    }

    [Fact]
    public void Reissued_tasks_come_before_new_ones_earliest_lease_first()
    {
        var dispatcher = Dispatcher(tasks: 6, maxPerWorker: 4);
        var onA = dispatcher.Request(NodeAWorker0, 3);

        dispatcher.NodeDown(NodeAWorker0.Node);

        Assert.Equal(onA.Select(l => l.Task).Append(Task(3)), dispatcher.Request(NodeBWorker0, 4).Select(l => l.Task));
    }

    [Fact]
    public void Overdue_leases_are_reissued_on_the_injected_clock()
    {
        var dispatcher = Dispatcher(tasks: 4, leaseMinutes: 10);
        var early = dispatcher.Request(NodeAWorker0, 1).Single();
        _clock.Now += TimeSpan.FromMinutes(5);
        var later = dispatcher.Request(NodeAWorker0, 1).Single();

        _clock.Now += TimeSpan.FromMinutes(6); // early is 11 minutes old, later 6
        Assert.Equal(1, dispatcher.ExpireOverdue());

        Assert.Equal(1, dispatcher.OutstandingFor(NodeAWorker0));
        Assert.Equal(early.Task, dispatcher.Request(NodeBWorker0, 1).Single().Task);
        Assert.Equal(LeaseOutcome.Unknown, dispatcher.Complete(early.LeaseId));
        Assert.Equal(LeaseOutcome.Closed, dispatcher.Complete(later.LeaseId));
        Assert.Equal((1L, 1L), (dispatcher.Counters.Expired, dispatcher.Counters.Reissued));
    }

    [Fact]
    public void Nothing_to_lease_when_the_queue_is_empty()
    {
        var dispatcher = Dispatcher(tasks: 0);

        Assert.Empty(dispatcher.Request(NodeAWorker0, 2));
        Assert.Equal(0L, dispatcher.Counters.Issued);
    }
}

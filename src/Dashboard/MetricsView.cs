using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Metrics;
using RetroAct.Actors.Protocol;

namespace RetroAct.Dashboard;

/// <summary>
/// The dashboard role's actor: in a cluster it subscribes to the "metrics" topic and to membership events and writes
/// both to the <see cref="MetricsBoard"/> the web server reads. A report is filed under the node that published it
/// (two rollout nodes both report as "policy-server"). Outside a cluster it takes reports told to it directly.
/// </summary>
public sealed class MetricsView : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, BoardMember> _members = [];
    private readonly MetricsBoard _board;
    private long _refused;

    public MetricsView(MetricsBoard board)
    {
        _board = board;
        Receive<SubscribeAck>(_ => { });
        Receive<MetricsReport>(report =>
        {
            string node = NodeOf(Sender);
            var (step, values) = MetricsHub.StepAndValues(report);
            if (_board.Add(new BoardReport(node, report.Source, step, report.Timestamp, values))) return;
            // Logged at the first refusal and every 1,000th after: a flood must not flood the log as well.
            if (_refused++ % 1000 == 0)
                _log.Warning("dashboard: report from {0} ({1}) refused: the board holds its maximum of {2} sources / {3} series ({4} refused so far)",
                    report.Source, node, MetricsBoard.MaxSources, MetricsBoard.MaxSeries, _refused);
        });
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _members.Clear();
            foreach (var member in state.Members) _members[member.Address] = Describe(member, state.Unreachable.Contains(member));
            Publish();
        });
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            if (e is ClusterEvent.MemberRemoved) _members.Remove(e.Member.Address);
            else _members[e.Member.Address] = Describe(e.Member, unreachable: false);
            Publish();
        });
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            _members[e.Member.Address] = Describe(e.Member, unreachable: true);
            Publish();
        });
        Receive<ClusterEvent.ReachableMember>(e =>
        {
            _members[e.Member.Address] = Describe(e.Member, unreachable: false);
            Publish();
        });
    }

    public static Props Props(MetricsBoard board) => Akka.Actor.Props.Create(() => new MetricsView(board));

    protected override void PreStart()
    {
        if (!ClusterAwareness.IsClustered(Context.System)) return;
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(MetricsHub.Topic, Self));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop()
    {
        if (ClusterAwareness.IsClustered(Context.System)) Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private string NodeOf(IActorRef sender)
    {
        // A report published on this node, or told directly, carries no host in its sender's path.
        var address = sender.IsNobody() || sender.Path.Address.HasLocalScope ? ((ExtendedActorSystem)Context.System).Provider.DefaultAddress : sender.Path.Address;
        return address.HostPort() is { Length: > 0 } hostPort && address.Host is not null ? hostPort : "local";
    }

    private static BoardMember Describe(Member member, bool unreachable) =>
        new(member.Address.HostPort(), [.. member.Roles.Order(StringComparer.Ordinal)], unreachable ? $"{member.Status} (unreachable)" : member.Status.ToString());

    private void Publish() => _board.SetMembers([.. _members.Values]);
}

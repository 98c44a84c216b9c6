using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Metrics;

/// <summary>
/// One per node in a cluster: actors tell it their <see cref="MetricsReport"/>s and it publishes them on the
/// DistributedPubSub topic "metrics", where the MetricsHub listens. In a single process actors tell the hub directly.
/// </summary>
public sealed class MetricsTopicPublisher : ReceiveActor
{
    public MetricsTopicPublisher()
    {
        var mediator = DistributedPubSub.Get(Context.System).Mediator;
        Receive<MetricsReport>(report => mediator.Tell(new Publish(MetricsHub.Topic, report)));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MetricsTopicPublisher());
}

using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Protocol;

namespace RetroAct.Actors.Weights;

/// <summary>
/// Where "version N ready" announcements travel: the DistributedPubSub topic "weights" in a cluster, the actor
/// system's EventStream in a single process (pub-sub needs the cluster provider). Publishers and subscribers call
/// the same two methods and never care which.
/// </summary>
public static class WeightsTopic
{
    /// <summary>The pub-sub topic name.</summary>
    public const string Name = "weights";

    /// <summary>Announces a weight version to every PolicyServer.</summary>
    public static void Publish(ActorSystem system, WeightsVersionReady announcement)
    {
        if (ClusterAwareness.IsClustered(system))
            DistributedPubSub.Get(system).Mediator.Tell(new Publish(Name, announcement));
        else
            system.EventStream.Publish(announcement);
    }

    /// <summary>Subscribes <paramref name="subscriber"/> to announcements.</summary>
    public static void Subscribe(ActorSystem system, IActorRef subscriber)
    {
        if (ClusterAwareness.IsClustered(system))
            DistributedPubSub.Get(system).Mediator.Tell(new Subscribe(Name, subscriber));
        else
            system.EventStream.Subscribe(subscriber, typeof(WeightsVersionReady));
    }
}

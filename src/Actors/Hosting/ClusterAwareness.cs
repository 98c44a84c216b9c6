using Akka.Actor;
using Akka.Cluster;

namespace RetroAct.Actors.Hosting;

/// <summary>Whether an actor system runs in a cluster, and this node's address as workers and cluster events name it.</summary>
public static class ClusterAwareness
{
    /// <summary>True when the system was started with the cluster actor-ref provider.</summary>
    public static bool IsClustered(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider is ClusterActorRefProvider;

    /// <summary>This node's address as Akka prints it (akka.tcp://retroact@host:port in a cluster, akka://retroact alone).</summary>
    public static string NodeAddress(ActorSystem system) =>
        ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
}

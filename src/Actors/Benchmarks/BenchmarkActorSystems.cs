using Akka.Actor;
using Akka.Configuration;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Benchmarks;

/// <summary>
/// Actor systems for the cluster benchmarks, configured like the runtime's (the MessagePack serializer bound to
/// every cluster message, the compute dispatcher, logging to stderr so stdout stays the benchmark's JSON). A remote
/// system listens on 127.0.0.1 with an OS-chosen port and Akka.Remote's default frame size: nothing here raises it.
/// </summary>
public static class BenchmarkActorSystems
{
    /// <summary>One process, no remoting: the embedded runtime's shape.</summary>
    public static ActorSystem Local(string name) => ActorSystem.Create(name, Config(remote: false));

    /// <summary>A system reachable over real TCP (Akka.Remote, DotNetty) on 127.0.0.1.</summary>
    public static ActorSystem Remote(string name) => ActorSystem.Create(name, Config(remote: true));

    /// <summary>The address other systems use to reach <paramref name="system"/> (akka.tcp://name@127.0.0.1:port).</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>
    /// A reference to <paramref name="path"/> (e.g. "/user/weights") in <paramref name="target"/> as seen from
    /// <paramref name="from"/>: resolved through the remote address, so messages really cross the TCP connection
    /// instead of being handed over inside the process.
    /// </summary>
    public static IActorRef ResolveRemote(ActorSystem from, ActorSystem target, string path) =>
        from.ActorSelection($"{AddressOf(target)}{path}").ResolveOne(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();

    /// <summary>Stops every system given, waiting for each.</summary>
    public static void TerminateAll(params ActorSystem[] systems) =>
        Task.WhenAll(systems.Select(s => s.Terminate())).Wait(TimeSpan.FromSeconds(20));

    private static Config Config(bool remote)
    {
        string logging = $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = OFF
              loggers = ["{{typeof(StandardErrorLogger).FullName}}, {{typeof(StandardErrorLogger).Assembly.GetName().Name}}"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              remote.log-remote-lifecycle-events = off
            }
            """;
        string transport = remote
            ? """
              akka.actor.provider = remote
              akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
              """
            : "";
        return ConfigurationFactory.ParseString(string.Join("\n", logging, transport, ClusterMessageSerializer.Hocon, ComputeDispatcher.Hocon));
    }
}

using Akka.Configuration;
using Akka.Hosting;
using RetroAct.Actors.Serialization;

namespace RetroAct.Actors.Hosting;

/// <summary>The Akka.Hosting set-up every RetroAct actor system shares: the MessagePack serializer, the compute dispatcher, logging to stderr.</summary>
public static class RetroActAkka
{
    /// <summary>The actor system's name (part of every node address: akka.tcp://retroact@host:port).</summary>
    public const string SystemName = "retroact";

    /// <summary>Binds <see cref="Protocol.IClusterMessage"/> to the MessagePack serializer, defines the compute dispatcher and logs to stderr.</summary>
    public static AkkaConfigurationBuilder WithRetroActDefaults(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddHocon(ConfigurationFactory.ParseString(ClusterMessageSerializer.Hocon + "\n" + ComputeDispatcher.Hocon), HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLogger<StandardErrorLogger>();
            });
    }
}

using System.Net;
using System.Net.Sockets;

namespace RetroAct.Actors.Weights;

/// <summary>
/// A learner node's server for weight versions, either transport's (<see cref="WeightSocketServer"/>,
/// <see cref="WeightTransferServer"/>): the node's <see cref="WeightStore"/> keeps <see cref="Weights"/> current and
/// names <see cref="Endpoint"/> in each announcement.
/// </summary>
public interface IWeightServer : IAsyncDisposable
{
    /// <summary>What the server sends; the node's <see cref="WeightStore"/> keeps it current.</summary>
    ServedWeights Weights { get; }

    /// <summary>The address rollout nodes pull from, e.g. <c>tcp://10.0.0.5:5054</c> or <c>http://10.0.0.5:5054</c>.</summary>
    string Endpoint { get; }
}

/// <summary>What both weight servers do alike: start the configured one, resolve their listen address, name their host.</summary>
public static class WeightServers
{
    /// <summary>
    /// Starts the server of <paramref name="transport"/> on <paramref name="host"/>:<paramref name="port"/> (null for
    /// <see cref="WeightTransport.Akka"/>, which needs none: chunks travel over the node-to-node Akka connection).
    /// <paramref name="warn"/> hears of trouble the server keeps going through (the socket server's failed accepts).
    /// </summary>
    public static async Task<IWeightServer?> StartAsync(WeightTransport transport, string host, int port, string? publicHost = null,
                                                        Action<string>? warn = null) => transport switch
    {
        WeightTransport.Tcp => await WeightSocketServer.StartAsync(host, port, publicHost, warn).ConfigureAwait(false),
        WeightTransport.Grpc => await WeightTransferServer.StartAsync(host, port, publicHost).ConfigureAwait(false),
        _ => null,
    };

    /// <summary>The address to listen on; <see cref="ArgumentException"/> for a bad port or a host that does not resolve.</summary>
    public static async Task<IPAddress> ResolveAsync(string host, int port)
    {
        if (port is < 0 or > 65535) throw new ArgumentException($"--weights-port {port}: allowed: 0..65535", nameof(port));
        return IPAddress.TryParse(host, out var parsed)
            ? parsed
            : (await Dns.GetHostAddressesAsync(host).ConfigureAwait(false)).FirstOrDefault()
              ?? throw new ArgumentException($"weights server host '{host}' does not resolve to an address", nameof(host));
    }

    /// <summary>The host as a URI names it: an IPv6 literal in brackets.</summary>
    public static string AnnouncedHost(string host) =>
        IPAddress.TryParse(host, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
}

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RetroAct.Actors.Hosting;

namespace RetroAct.Actors.Weights;

/// <summary>
/// A learner node's weight transfer server: Kestrel speaking HTTP/2 without TLS (h2c) on one address, hosting
/// <see cref="WeightTransferService"/> over <see cref="Weights"/> (hosted like the CLI's environment server). Port 0
/// picks a free port; <see cref="Endpoint"/> is the address announcements carry.
/// </summary>
public sealed class WeightTransferServer : IWeightServer
{
    private readonly WebApplication _app;

    private WeightTransferServer(WebApplication app, ServedWeights weights)
    {
        _app = app;
        Weights = weights;
    }

    /// <summary>What the server streams; the node's <see cref="WeightStore"/> keeps it current.</summary>
    public ServedWeights Weights { get; }

    /// <summary>The address rollout nodes pull from, e.g. <c>http://10.0.0.5:5054</c>.</summary>
    public string Endpoint => Weights.Endpoint!;

    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> and starts serving; announcements name
    /// <paramref name="publicHost"/> (default: <paramref name="host"/>) and the bound port.
    /// Throws <see cref="ArgumentException"/> for a host that does not resolve or a port out of range, and
    /// <see cref="IOException"/> when the port is taken.
    /// </summary>
    public static async Task<WeightTransferServer> StartAsync(string host, int port, string? publicHost = null)
    {
        var ip = await WeightServers.ResolveAsync(host, port).ConfigureAwait(false);
        var weights = new ServedWeights();
        // The node owns Ctrl-C/SIGTERM (CoordinatedShutdown); this server is stopped with it.
        var builder = H2cHost.CreateBuilder(ip, port, handleSignals: false,
            k => k.Limits.MaxRequestBodySize = 64 * 1024); // requests are two numbers
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = WeightTransferService.MaxMessageBytes;
            o.MaxReceiveMessageSize = 64 * 1024;
            o.EnableDetailedErrors = true; // the NOT_FOUND reason names the kept versions
        });
        builder.Services.AddSingleton(weights);
        var app = builder.Build();
        app.MapGrpcService<WeightTransferService>();
        await H2cHost.StartAsync(app).ConfigureAwait(false);
        var bound = new Uri(H2cHost.BoundAddress(app));
        weights.Endpoint = $"http://{WeightServers.AnnouncedHost(publicHost ?? host)}:{bound.Port}";
        return new WeightTransferServer(app, weights);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

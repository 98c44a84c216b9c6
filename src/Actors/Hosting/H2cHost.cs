using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// Kestrel speaking HTTP/2 without TLS (h2c) on one address, for a gRPC service: how the learner node's weight
/// transfer server and the CLI's environment server are hosted. Port 0 picks a free port (<see cref="BoundAddress"/>).
/// </summary>
public static class H2cHost
{
    /// <summary>
    /// A slim web application builder listening on <paramref name="ip"/>:<paramref name="port"/> with no log providers.
    /// Without <paramref name="handleSignals"/> the host leaves Ctrl-C/SIGTERM to its owner (a node's CoordinatedShutdown,
    /// or tests hosting servers in-process). <paramref name="kestrel"/> adds limits.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(IPAddress ip, int port, bool handleSignals = false, Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        if (!handleSignals) builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(ip, port, l => l.Protocols = HttpProtocols.Http2);
            kestrel?.Invoke(k);
        });
        return builder;
    }

    /// <summary>Starts <paramref name="app"/>; if that fails (a port in use), disposes it and rethrows.</summary>
    public static async Task StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The address a started application is bound to, e.g. <c>http://127.0.0.1:50051</c>.</summary>
    public static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}

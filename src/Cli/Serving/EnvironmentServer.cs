using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RetroAct.Actors.Hosting;

namespace RetroAct.Cli.Serving;

/// <summary>
/// A running environment server: Kestrel speaking HTTP/2 without TLS (h2c) on one address, hosting
/// <see cref="RemoteEnvironmentService"/>. Port 0 picks a free port; <see cref="Address"/> is the bound one.
/// </summary>
public sealed class EnvironmentServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SessionStore _store;

    private EnvironmentServer(WebApplication app, SessionStore store, string address)
    {
        _app = app;
        _store = store;
        Address = address;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:50051</c>.</summary>
    public string Address { get; }

    public SessionStore Sessions => _store;

    /// <summary>Completes when the host stops (Ctrl-C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public Task StopAsync() => _app.StopAsync();

    /// <summary>Starts serving <paramref name="environment"/>; throws <see cref="ArgumentException"/> for an unknown name or host.</summary>
    public static async Task<EnvironmentServer> StartAsync(string environment, string host, int port, TimeSpan sessionTimeout, int maxSessions,
        bool handleSignals = false)
    {
        var factory = ServedEnvironments.Factory(environment);
        if (!IPAddress.TryParse(host, out var ip)) throw new ArgumentException($"--host '{host}' is not an IP address (e.g. 127.0.0.1)", nameof(host));
        if (port is < 0 or > 65535) throw new ArgumentException($"--port {port} is out of range 0..65535", nameof(port));
        var store = new SessionStore(factory, sessionTimeout, maxSessions);
        // Tests host servers in-process: only the serve command owns the process's Ctrl-C/SIGTERM.
        var builder = H2cHost.CreateBuilder(ip, port, handleSignals);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);
        var app = builder.Build();
        app.MapGrpcService<RemoteEnvironmentService>();
        try
        {
            await H2cHost.StartAsync(app).ConfigureAwait(false);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        var bound = H2cHost.BoundAddress(app);
        return new EnvironmentServer(app, store, bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RetroAct.Actors.Hosting;

namespace RetroAct.Dashboard;

/// <summary>
/// The dashboard's web server (Kestrel, HTTP/1.1) over a <see cref="MetricsBoard"/>:
/// <c>/</c> the live page, <c>/api/snapshot</c> everything as JSON, <c>/api/events</c> server-sent events (a
/// "report" per metrics report, "members" when the cluster changes, "resync" when this client fell behind and should
/// fetch the snapshot again), <c>/metrics</c> Prometheus text, <c>/healthz</c>.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>A comment line on an idle event stream this often keeps proxies from closing it and finds closed clients.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a diverged loss is NaN, not a failed request
    };

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, string url) => (_app, Url) = (app, url);

    /// <summary>Where the page is, e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public string Url { get; }

    /// <summary>
    /// Listens on <paramref name="host"/>:<paramref name="port"/> (port 0: any free port; see <see cref="Url"/>).
    /// A host that is not an IP address or "localhost", or a port in use, is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static async Task<DashboardServer> StartAsync(MetricsBoard board, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(board);
        if (port is < 0 or > 65535) throw new ArgumentException($"dashboard port {port}: allowed: 0..65535 (0: any free port)");
        bool localhost = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
        if (!localhost && !IPAddress.TryParse(host, out _))
            throw new ArgumentException($"dashboard host '{host}': allowed: an IP address (127.0.0.1, 0.0.0.0, ::) or localhost");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>(); // Ctrl-C and SIGTERM belong to the node or the training run
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (localhost) k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http1);
            else k.Listen(IPAddress.Parse(host), port, l => l.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        Map(app, board);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ArgumentException($"the dashboard cannot listen on {host}:{port} ({e.Message}); give another --dashboard-port", e);
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, bound.TrimEnd('/') + "/");
    }

    private static void Map(WebApplication app, MetricsBoard board)
    {
        string page = Page();
        app.MapGet("/", () => Results.Content(page, "text/html; charset=utf-8"));
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/snapshot", () => Results.Text(SnapshotJson(board.Snapshot()), "application/json; charset=utf-8"));
        app.MapGet("/metrics", () => Results.Text(PrometheusText.Format(board.Snapshot(), board.Refused), PrometheusText.ContentType));
        app.MapGet("/api/events", (HttpContext context) => StreamEvents(context, board, app.Lifetime.ApplicationStopping));
    }

    private static async Task StreamEvents(HttpContext context, MetricsBoard board, CancellationToken stopping)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var subscription = board.Subscribe();
        var body = context.Response.Body;
        try
        {
            await Write(body, "retry: 2000\n: connected\n\n", cancel.Token);
            while (!cancel.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
                idle.CancelAfter(Heartbeat);
                BoardEvent next;
                try
                {
                    next = await subscription.Events.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    await Write(body, ": heartbeat\n\n", cancel.Token);
                    continue;
                }
                if (subscription.TakeOverflow())
                {
                    while (subscription.Events.TryRead(out _)) { } // all of it is in the snapshot the client now fetches
                    await Write(body, "event: resync\ndata: {}\n\n", cancel.Token);
                    continue;
                }
                string data = next switch
                {
                    BoardEvent.Report r => $"event: report\ndata: {JsonSerializer.Serialize(ReportJson(r.Value), Json)}\n\n",
                    BoardEvent.Members m => $"event: members\ndata: {JsonSerializer.Serialize(m.Value, Json)}\n\n",
                    _ => throw new InvalidOperationException($"unknown board event {next.GetType().Name}"),
                };
                await Write(body, data, cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away or the server stops
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // the subscription ended
        }
    }

    private static async Task Write(Stream body, string text, CancellationToken cancel)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), cancel);
        await body.FlushAsync(cancel);
    }

    internal static string SnapshotJson(BoardSnapshot snapshot) => JsonSerializer.Serialize(new
    {
        started = snapshot.Started,
        reports = snapshot.Reports,
        members = snapshot.Members,
        latest = snapshot.Latest.Select(ReportJson),
        // [unix ms, step, value] triples keep the payload small
        series = snapshot.Series.Select(s => new
        {
            node = s.Node,
            source = s.Source,
            metric = s.Metric,
            points = s.Points.Select(p => new object[] { p.Time.ToUnixTimeMilliseconds(), p.Step, p.Value }),
        }),
    }, Json);

    private static object ReportJson(BoardReport r) => new { node = r.Node, source = r.Source, step = r.Step, time = r.Time.ToUnixTimeMilliseconds(), values = r.Values };

    private static string Page()
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("RetroAct.Dashboard.index.html")
                           ?? throw new InvalidOperationException("the dashboard page is missing from the assembly (EmbeddedResource index.html)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

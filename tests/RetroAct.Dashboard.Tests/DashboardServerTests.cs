using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RetroAct.Dashboard.Tests;

public sealed class DashboardServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly MetricsBoard _board = new();
    private readonly HttpClient _http = new() { Timeout = Patience };
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(_board, "127.0.0.1", 0);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private static BoardReport Report(string source, long step, IReadOnlyDictionary<string, double> values) => new("local", source, step, DateTimeOffset.UtcNow, values);

    [Fact]
    public async Task It_serves_the_page_the_snapshot_Prometheus_text_and_a_health_check()
    {
        _board.Add(Report("eval", 1, new Dictionary<string, double> { ["ir"] = 0.25, ["loss"] = double.NaN }));
        Assert.StartsWith("http://127.0.0.1:", _server.Url, StringComparison.Ordinal);

        string page = await _http.GetStringAsync(_server.Url);
        Assert.Contains("<title>RetroAct dashboard</title>", page, StringComparison.Ordinal);
        Assert.Contains("EventSource(\"api/events\")", page, StringComparison.Ordinal);

        using var snapshot = JsonDocument.Parse(await _http.GetStringAsync(_server.Url + "api/snapshot"));
        var latest = snapshot.RootElement.GetProperty("latest")[0];
        Assert.Equal("eval", latest.GetProperty("source").GetString());
        Assert.Equal(0.25, latest.GetProperty("values").GetProperty("ir").GetDouble());
        Assert.Equal("NaN", latest.GetProperty("values").GetProperty("loss").GetString()); // JSON has no NaN literal
        Assert.Equal(1, snapshot.RootElement.GetProperty("reports").GetInt64());
        var ir = snapshot.RootElement.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("metric").GetString() == "ir");
        Assert.Equal(1, ir.GetProperty("points")[0][1].GetInt64()); // [time, step, value]

        using var metrics = await _http.GetAsync(_server.Url + "metrics");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        Assert.Contains("retroact_eval_ir{node=\"local\"} 0.25\n", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal("ok", await _http.GetStringAsync(_server.Url + "healthz"));
    }

    [Fact]
    public async Task The_event_stream_delivers_each_report_as_it_is_added()
    {
        using var cancel = new CancellationTokenSource(Patience);
        using var response = await _http.GetAsync(_server.Url + "api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.Equal("retry: 2000", await reader.ReadLineAsync(cancel.Token)); // the stream is open: the subscription exists

        _board.Add(Report("policy-server", 3, new Dictionary<string, double> { ["batches"] = 42 }));
        _board.SetMembers([new BoardMember("local", ["every role"], "Up")]);

        var events = new List<(string Event, string Data)>();
        string? name = null;
        while (events.Count < 2)
        {
            string line = await reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add((name!, line["data: ".Length..]));
        }
        Assert.Equal("report", events[0].Event);
        using var report = JsonDocument.Parse(events[0].Data);
        Assert.Equal("policy-server", report.RootElement.GetProperty("source").GetString());
        Assert.Equal(3, report.RootElement.GetProperty("step").GetInt64());
        Assert.Equal(42, report.RootElement.GetProperty("values").GetProperty("batches").GetDouble());
        Assert.Equal("members", events[1].Event);
        Assert.Contains("\"status\":\"Up\"", events[1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_or_a_bad_host_is_a_clear_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var inUse = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new MetricsBoard(), "127.0.0.1", port));
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", inUse.Message, StringComparison.Ordinal);
        Assert.Contains("--dashboard-port", inUse.Message, StringComparison.Ordinal);

        var host = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new MetricsBoard(), "not a host", 0));
        Assert.Contains("dashboard host 'not a host'", host.Message, StringComparison.Ordinal);
        var range = await Assert.ThrowsAsync<ArgumentException>(() => DashboardServer.StartAsync(new MetricsBoard(), "127.0.0.1", 70000));
        Assert.Contains("dashboard port 70000", range.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using RetroAct.Learner.Runs;

namespace RetroAct.Dashboard.Tests;

public sealed class DashboardHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retroact-dashboard-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_runs_dashboard_shows_each_metrics_line_as_it_is_written_and_stops_following_when_disposed()
    {
        using var run = new RunDirectory(_dir);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var dashboard = await DashboardHosting.StartForRunAsync(run, "127.0.0.1", 0, "actors");
        string url;
        await using (dashboard)
        {
            url = dashboard.Url;
            run.LogMetrics("il", 3, new Dictionary<string, double> { ["loss"] = 2.25 });
            using var snapshot = JsonDocument.Parse(await http.GetStringAsync(url + "api/snapshot"));
            var latest = snapshot.RootElement.GetProperty("latest")[0];
            Assert.Equal((DashboardHosting.LocalNode, "il", 3L), (latest.GetProperty("node").GetString(), latest.GetProperty("source").GetString(), latest.GetProperty("step").GetInt64()));
            Assert.Equal(2.25, latest.GetProperty("values").GetProperty("loss").GetDouble());
            Assert.Equal("every role (one process)", snapshot.RootElement.GetProperty("members")[0].GetProperty("roles")[0].GetString());
        }
        run.LogMetrics("il", 4, new Dictionary<string, double> { ["loss"] = 2.0 }); // detached: nothing left to receive it
        Assert.Equal(1, dashboard.Board.Snapshot().Reports);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(url + "healthz")); // the server is gone
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir, "metrics.jsonl")).Length); // the run itself logged both
    }
}

using System.Globalization;
using System.Text;

namespace RetroAct.Dashboard;

/// <summary>
/// The board's latest readings in the Prometheus text exposition format (version 0.0.4): one gauge per source and
/// metric, <c>retroact_&lt;source&gt;_&lt;metric&gt;{node="…"}</c>, plus the dashboard's own counters. Names are reduced
/// to [a-zA-Z0-9_]; label values are escaped.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(BoardSnapshot snapshot, long refused = 0)
    {
        var text = new StringBuilder();
        Gauge(text, "retroact_dashboard_reports_total", "counter", "Metrics reports received by this dashboard.", [("", snapshot.Reports)]);
        Gauge(text, "retroact_dashboard_refused_total", "counter", "Reports refused because the dashboard's bounds were reached.", [("", refused)]);
        Gauge(text, "retroact_cluster_members", "gauge", "Cluster members by status.",
            [.. snapshot.Members.GroupBy(m => m.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (Label("status", g.Key), (double)g.Count()))]);

        var byName = snapshot.Latest
            .SelectMany(r => r.Values.Select(v => (Name: $"retroact_{Sanitize(r.Source)}_{Sanitize(v.Key)}", r.Node, r.Source, Value: v.Value)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var metric in byName)
            Gauge(text, metric.Key, "gauge", $"Latest '{metric.First().Source}' reading.",
                [.. metric.OrderBy(x => x.Node, StringComparer.Ordinal).Select(x => (Label("node", x.Node), x.Value))]);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string type, string help, IReadOnlyList<(string Labels, double Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
            text.Append(name).Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Label(string name, string value) =>
        $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    private static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A metric name part: letters, digits and underscores; anything else becomes an underscore.</summary>
    public static string Sanitize(string name)
    {
        var s = new StringBuilder(name.Length);
        foreach (char c in name) s.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return s.Length == 0 ? "_" : s.ToString();
    }
}

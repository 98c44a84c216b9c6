using System.Text.Json;
using System.Text.Json.Nodes;

namespace RetroAct.Learner.Runs;

/// <summary>
/// Everything a run writes (ARCHITECTURE.md §3): the resolved configuration, metrics.jsonl (one JSON object per
/// line, flushed as written so a crash loses nothing already logged), checkpoints/, evaluation results and plots.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly StreamWriter _metrics;
    private readonly object _gate = new();

    public string Path { get; }
    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");
    public string PlotsPath => System.IO.Path.Combine(Path, "plots");

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(CheckpointsPath);
        Directory.CreateDirectory(PlotsPath);
        _metrics = new StreamWriter(new FileStream(System.IO.Path.Combine(Path, "metrics.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            AutoFlush = true,
        };
    }

    /// <summary>A fresh directory under <paramref name="root"/> named by UTC time and a label, e.g. runs/20261123-061900-household-retroact.</summary>
    public static RunDirectory CreateUnder(string root, string label, DateTime utcNow) =>
        new(System.IO.Path.Combine(root, $"{utcNow:yyyyMMdd-HHmmss}-{label}"));

    public void WriteConfig<T>(T resolvedConfig) => WriteJson("config.json", resolvedConfig);

    public void WriteJson<T>(string fileName, T value) =>
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), JsonSerializer.Serialize(value, Indented) + "\n");

    /// <summary>Writes one JSON document per line (e.g. imitation data).</summary>
    public void WriteJsonLines(string fileName, IEnumerable<string> lines) =>
        File.WriteAllLines(System.IO.Path.Combine(Path, fileName), lines);

    /// <summary>
    /// Raised after each metrics record is written, on the writer's thread (the dashboard follows a run through it).
    /// Handlers must be quick and must not throw: they run inside the training loop.
    /// </summary>
    public event Action<MetricsRecord>? MetricsLogged;

    /// <summary>Appends one metrics record: the stage ("il", "rl", "eval"), the step, and named values.</summary>
    public void LogMetrics(string stage, long step, IReadOnlyDictionary<string, double> values)
    {
        var time = DateTimeOffset.UtcNow;
        var record = new JsonObject { ["stage"] = stage, ["step"] = step, ["time"] = time.UtcDateTime.ToString("O") };
        foreach (var (name, value) in values)
            record[name] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        lock (_gate) _metrics.WriteLine(record.ToJsonString());
        MetricsLogged?.Invoke(new MetricsRecord(stage, step, time, values));
    }

    public void Dispose() => _metrics.Dispose();
}

/// <summary>One line of metrics.jsonl as <see cref="RunDirectory.MetricsLogged"/> passes it on.</summary>
public sealed record MetricsRecord(string Stage, long Step, DateTimeOffset Time, IReadOnlyDictionary<string, double> Values);

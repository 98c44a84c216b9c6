using MessagePack;

namespace RetroAct.Actors.Protocol;

/// <summary>
/// A batch of named scalar readings from one source (a node or an actor), published on the "metrics" topic.
/// Bound: ≤ 256 values × (≤ 128 B name + 9 B double) + source ≈ 36 KB.
/// </summary>
[MessagePackObject]
public sealed record MetricsReport(string Source, DateTimeOffset Timestamp, IReadOnlyDictionary<string, double> Values) : IClusterMessage
{
    /// <summary>Most readings one report may carry.</summary>
    public const int MaxValues = 256;

    /// <summary>Longest metric name or source (UTF-8 bytes).</summary>
    public const int MaxNameBytes = 128;

    [Key(0)] public string Source { get; } = FrameBudget.Text(Source, MaxNameBytes, nameof(MetricsReport), nameof(Source));
    [Key(1)] public DateTimeOffset Timestamp { get; } = Timestamp;
    [Key(2)] public IReadOnlyDictionary<string, double> Values { get; } = CheckValues(Values);

    private static IReadOnlyDictionary<string, double> CheckValues(IReadOnlyDictionary<string, double> values)
    {
        FrameBudget.Count(values, MaxValues, nameof(MetricsReport), nameof(Values));
        foreach (var name in values.Keys)
            FrameBudget.Text(name, MaxNameBytes, nameof(MetricsReport), $"{nameof(Values)}[{name[..Math.Min(name.Length, 40)]}]");
        return values;
    }
}

using System.Threading.Channels;

namespace RetroAct.Dashboard;

/// <summary>One metrics report as the dashboard keeps it: which node sent it, its source (actor or stage), step and values.</summary>
public sealed record BoardReport(string Node, string Source, long Step, DateTimeOffset Time, IReadOnlyDictionary<string, double> Values);

/// <summary>A cluster member as the dashboard shows it.</summary>
public sealed record BoardMember(string Address, IReadOnlyList<string> Roles, string Status);

/// <summary>One reading of one metric: when, at which step, what value.</summary>
public readonly record struct SeriesPoint(DateTimeOffset Time, long Step, double Value);

/// <summary>The recent readings of one metric of one source on one node (oldest first).</summary>
public sealed record MetricSeries(string Node, string Source, string Metric, IReadOnlyList<SeriesPoint> Points);

/// <summary>Everything the dashboard shows at one moment; an immutable copy.</summary>
public sealed record BoardSnapshot(DateTimeOffset Started, long Reports, IReadOnlyList<BoardMember> Members, IReadOnlyList<BoardReport> Latest,
                                   IReadOnlyList<MetricSeries> Series);

/// <summary>What a live subscriber receives: a report, or the members list after it changed.</summary>
public abstract record BoardEvent
{
    public sealed record Report(BoardReport Value) : BoardEvent;

    public sealed record Members(IReadOnlyList<BoardMember> Value) : BoardEvent;
}

/// <summary>
/// The dashboard's state: the latest report of every (node, source), the last <see cref="SeriesLength"/> readings of
/// every metric, the cluster members, and live subscribers (the web page's event stream). Fed by the run directory
/// (one process) or by the metrics topic (a dashboard node); read by the web server. Thread-safe: writers and
/// readers are different threads. Non-finite values are kept (NaN shows a diverged loss).
/// </summary>
public sealed class MetricsBoard(int seriesLength = MetricsBoard.DefaultSeriesLength, int subscriberBuffer = MetricsBoard.DefaultSubscriberBuffer)
{
    public const int DefaultSeriesLength = 600, DefaultSubscriberBuffer = 1024;

    /// <summary>Most distinct (node, source) pairs and metrics kept: a misbehaving sender cannot grow the board without bound.</summary>
    public const int MaxSources = 512, MaxSeries = 16_384;

    private readonly object _gate = new();
    private readonly Dictionary<(string Node, string Source), BoardReport> _latest = [];
    private readonly Dictionary<(string Node, string Source, string Metric), Queue<SeriesPoint>> _series = [];
    private readonly List<BoardSubscription> _subscribers = [];
    private IReadOnlyList<BoardMember> _members = [];
    private long _reports, _refused;

    public int SeriesLength { get; } = seriesLength >= 2 ? seriesLength : throw new ArgumentOutOfRangeException(nameof(seriesLength), seriesLength, "at least 2 readings per series");

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>Reports refused because the board already holds <see cref="MaxSources"/> sources or <see cref="MaxSeries"/> series.</summary>
    public long Refused
    {
        get
        {
            lock (_gate) return _refused;
        }
    }

    /// <summary>Records a report; false (and counted in <see cref="Refused"/>) when it would exceed the board's bounds.</summary>
    public bool Add(BoardReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        BoardSubscription[] subscribers;
        lock (_gate)
        {
            var key = (report.Node, report.Source);
            int newSeries = report.Values.Keys.Count(m => !_series.ContainsKey((report.Node, report.Source, m)));
            if ((!_latest.ContainsKey(key) && _latest.Count >= MaxSources) || _series.Count + newSeries > MaxSeries)
            {
                _refused++;
                return false;
            }
            _latest[key] = report;
            foreach (var (metric, value) in report.Values)
            {
                if (!_series.TryGetValue((report.Node, report.Source, metric), out var points))
                    _series[(report.Node, report.Source, metric)] = points = new Queue<SeriesPoint>();
                if (points.Count == SeriesLength) points.Dequeue();
                points.Enqueue(new SeriesPoint(report.Time, report.Step, value));
            }
            _reports++;
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers) subscriber.Offer(new BoardEvent.Report(report));
        return true;
    }

    /// <summary>Replaces the members list (a cluster event changed it).</summary>
    public void SetMembers(IReadOnlyList<BoardMember> members)
    {
        BoardSubscription[] subscribers;
        lock (_gate)
        {
            _members = [.. members.OrderBy(m => m.Address, StringComparer.Ordinal)];
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers) subscriber.Offer(new BoardEvent.Members(_members));
    }

    public BoardSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new BoardSnapshot(Started, _reports, _members,
                [.. _latest.Values.OrderBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.Source, StringComparer.Ordinal)],
                [.. _series.OrderBy(s => s.Key.Node, StringComparer.Ordinal).ThenBy(s => s.Key.Source, StringComparer.Ordinal)
                    .ThenBy(s => s.Key.Metric, StringComparer.Ordinal)
                    .Select(s => new MetricSeries(s.Key.Node, s.Key.Source, s.Key.Metric, [.. s.Value]))]);
        }
    }

    /// <summary>
    /// A live feed of what is added from now on. A subscriber that falls more than the buffer behind is not dropped
    /// silently: its feed says so (<see cref="BoardSubscription.Overflowed"/>) and the reader resynchronises from a snapshot.
    /// </summary>
    public BoardSubscription Subscribe()
    {
        var subscription = new BoardSubscription(this, subscriberBuffer);
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }

    internal void Unsubscribe(BoardSubscription subscription)
    {
        lock (_gate) _subscribers.Remove(subscription);
    }

    internal int Subscribers
    {
        get
        {
            lock (_gate) return _subscribers.Count;
        }
    }
}

/// <summary>One live reader of a <see cref="MetricsBoard"/>; dispose to stop receiving.</summary>
public sealed class BoardSubscription : IDisposable
{
    private readonly MetricsBoard _board;
    private readonly Channel<BoardEvent> _events;
    private int _overflowed;

    internal BoardSubscription(MetricsBoard board, int capacity)
    {
        _board = board;
        _events = Channel.CreateBounded<BoardEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<BoardEvent> Events => _events.Reader;

    /// <summary>True once an event could not be buffered; reading it resets the flag (the reader has resynchronised).</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;

    internal void Offer(BoardEvent e)
    {
        if (!_events.Writer.TryWrite(e)) Interlocked.Exchange(ref _overflowed, 1);
    }

    public void Dispose()
    {
        _board.Unsubscribe(this);
        _events.Writer.TryComplete();
    }
}

using System.Diagnostics;

namespace RetroAct.Rollout;

/// <summary>
/// Progress of a batch of episodes ("12/50 episodes, 1.4 min"): a line when another tenth of them has finished and at
/// least <c>minInterval</c> (default 5 s) has passed since the last line — lock-step batches finish many episodes
/// within a second — and always one for the last episode. Reported synchronously on the thread that finishes them
/// (unlike <see cref="Progress{T}"/>, which posts to a synchronisation context), so lines arrive in order and none is
/// lost when the run ends.
/// </summary>
public sealed class EpisodeProgress(int total, string label, Action<string> report, TimeSpan? minInterval = null) : IProgress<int>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _every = Math.Max(1, (total + 9) / 10);
    private readonly TimeSpan _minInterval = minInterval ?? TimeSpan.FromSeconds(5);
    private TimeSpan? _lastLine; // null until the first line

    public void Report(int finished)
    {
        var now = _clock.Elapsed;
        bool due = finished % _every == 0 && (_lastLine is not { } last || now - last >= _minInterval);
        if (!due && finished != total) return;
        _lastLine = now;
        report($"{label}: {finished}/{total} episodes, {now.TotalMinutes:F1} min");
    }
}

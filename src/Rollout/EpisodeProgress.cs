using System.Diagnostics;

namespace RetroAct.Rollout;

/// <summary>
/// Progress of a batch of episodes as one line per tenth of them ("12/50 episodes, 1.4 min"), reported synchronously
/// on the thread that finishes them (unlike <see cref="Progress{T}"/>, which posts to a synchronisation context), so
/// lines arrive in order and none is lost when the run ends.
/// </summary>
public sealed class EpisodeProgress(int total, string label, Action<string> report) : IProgress<int>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _every = Math.Max(1, (total + 9) / 10);

    public void Report(int finished)
    {
        if (finished % _every != 0 && finished != total) return;
        report($"{label}: {finished}/{total} episodes, {_clock.Elapsed.TotalMinutes:F1} min");
    }
}

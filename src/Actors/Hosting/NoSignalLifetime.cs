using Microsoft.Extensions.Hosting;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// A web host lifetime that leaves Ctrl-C and SIGTERM to the host's owner (a node's CoordinatedShutdown, a training
/// run, or tests hosting servers in-process) instead of stopping the host on its own.
/// </summary>
public sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

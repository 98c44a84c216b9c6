namespace RetroAct.Actors.Hosting;

/// <summary>
/// The dispatcher for actors that block for long stretches (the Learner's optimiser steps, the PolicyServer's
/// generation): each gets a thread of its own, so they never starve the thread pool that runs the light actors
/// (workers, buffer, dispatcher, heartbeats).
/// </summary>
public static class ComputeDispatcher
{
    /// <summary>The dispatcher's configuration path (use with <c>Props.WithDispatcher</c>).</summary>
    public const string Id = "retroact.compute-dispatcher";

    /// <summary>Its HOCON definition.</summary>
    public const string Hocon = """
        retroact.compute-dispatcher {
          type = PinnedDispatcher
        }
        """;
}

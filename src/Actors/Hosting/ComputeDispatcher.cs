namespace RetroAct.Actors.Hosting;

/// <summary>
/// The dispatcher for actors that block for long stretches on libtorch (the Learner's optimiser steps and
/// evaluations, the PolicyServer's generation). They share one dedicated thread per actor system, outside the thread
/// pool that runs the light actors (buffer, dispatcher, heartbeats). The rollout workers run on it too by default
/// (<see cref="Rollout.WorkerThreads.Compute"/>): their environment steps then take turns with the batches, and a
/// request reaches the PolicyServer without waking another thread.
/// <para>
/// One thread rather than one each: libtorch's CPU ops run on an OpenMP team per calling thread, and libgomp counts
/// the threads of every team in the process. Once they outnumber the cores it cuts its spin-wait from ~300,000 to 100
/// iterations, so every op sleeps and wakes its helper threads through futexes. On two cores a second team (a
/// learner and a policy server on threads of their own, next to the main thread's) left 15–20 % of the CPU idle and
/// made the actor runtime's evaluation and collection slower than the serial driver's. Work that two such actors
/// would run at once competes for the same cores anyway. For the same reason the embedded runtime runs its imitation
/// stage on a thread that ends before the actors start (<see cref="ThreadOfItsOwn"/>): an ended thread's team ends with it.
/// </para>
/// </summary>
public static class ComputeDispatcher
{
    /// <summary>The dispatcher's configuration path (use with <c>Props.WithDispatcher</c>).</summary>
    public const string Id = "retroact.compute-dispatcher";

    /// <summary>Its HOCON definition: a single dedicated thread shared by the compute actors of one actor system.</summary>
    public const string Hocon = """
        retroact.compute-dispatcher {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool {
            thread-count = 1
            threadtype = background
          }
        }
        """;

    /// <summary>The dispatcher of actors placed with the rollout workers: this one for <see cref="Rollout.WorkerThreads.Compute"/>, else Akka's default (the thread pool).</summary>
    public static string For(Rollout.WorkerThreads workers) =>
        workers == Rollout.WorkerThreads.Compute ? Id : Akka.Dispatch.Dispatchers.DefaultDispatcherId;
}

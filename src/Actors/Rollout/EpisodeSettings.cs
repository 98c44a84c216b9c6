using RetroAct.Core.Environments;
using RetroAct.Rollout;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Actors.Rollout;

/// <summary>How a rollout worker plays an episode: a fresh environment per episode, the multi-trial options, prompts. Local (holds a factory).</summary>
public sealed record EpisodeSettings(Func<ITextEnvironment> CreateEnvironment, MultiTrialOptions Options, bool UseReflector,
                                     PlannerPrompt PlannerPrompt, ReflectorPrompt ReflectorPrompt);

/// <summary>How many episodes a rollout worker plays at once, and its timeouts.</summary>
public sealed record RolloutWorkerOptions
{
    /// <summary>
    /// Episodes one worker plays at once, each in its own environment (Sample Factory's environments per worker). Their
    /// generation requests go to the PolicyServer as one message, so more per worker means fewer actor hand-offs per
    /// environment step; fewer means more workers for the same number of episodes, whose environments step in parallel
    /// when the workers run on the thread pool (<see cref="WorkerThreads.Pool"/>: worth it when an environment blocks,
    /// e.g. on a database or a remote server). 1..64.
    /// </summary>
    public int Environments { get; init; } = 1;

    /// <summary>A trajectory not acknowledged by the replay buffer within this time is sent again.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A generation not answered within this time ends the episode and gives its lease back.</summary>
    public TimeSpan GenerationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pause after giving a lease back, so a broken environment does not spin through the task queue.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An unanswered lease request is sent again after this long: the dispatcher that parked it may have died with
    /// its node (a learner crash), and its successor knows nothing of the request.
    /// </summary>
    public TimeSpan LeaseRequestRetry { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Where a rollout node's workers run (their environments step there, between the policy server's batches or beside them).</summary>
public enum WorkerThreads
{
    /// <summary>
    /// On the compute thread, with the node's PolicyServer: a request and its answer are queued on one thread, never
    /// handed to another, and environment steps take turns with generation as in the serial driver, so no other
    /// thread competes with libtorch's threads during a batch. For environments that answer at once (household,
    /// wikiqa, sql): bench cluster measured it faster than the pool on two cores.
    /// </summary>
    Compute,

    /// <summary>
    /// On the thread pool: several workers' environments step at once, and a worker waiting on its environment holds
    /// up no one else; for environments that block (remote, over gRPC).
    /// </summary>
    Pool,
}

/// <summary>The names of <see cref="WorkerThreads"/> on the command line and in reports.</summary>
public static class WorkerThreadsNames
{
    public const string Allowed = "compute, pool";

    /// <summary>"compute" or "pool".</summary>
    public static string Name(this WorkerThreads threads) => threads == WorkerThreads.Compute ? "compute" : "pool";

    /// <summary>Where the workers run, in words: "the compute thread" or "the thread pool".</summary>
    public static string Describe(this WorkerThreads threads) => threads == WorkerThreads.Compute ? "the compute thread" : "the thread pool";

    /// <summary>The placement named <paramref name="name"/>; null for any other name.</summary>
    public static WorkerThreads? Parse(string name) => name switch
    {
        "compute" => WorkerThreads.Compute,
        "pool" => WorkerThreads.Pool,
        _ => null,
    };
}

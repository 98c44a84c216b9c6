using RetroAct.Actors.Dispatch;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Learning;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Rollout;

namespace RetroAct.Actors.Hosting;

/// <summary>Settings of the actor runtime beyond the training configuration: node shape, batching, leases, replay, timeouts.</summary>
public sealed record ActorRuntimeOptions
{
    /// <summary>K: rollout workers per rollout node (each plays <see cref="RolloutWorkerOptions.Environments"/> episodes at once).</summary>
    public int WorkersPerNode { get; init; } = 4;

    /// <summary>Episodes one rollout node plays at once: K workers × their environments each.</summary>
    public int EpisodesPerNode => WorkersPerNode * Workers.Environments;

    /// <summary>Batching of each node's PolicyServer; its max batch defaults to the training configuration's generation batch.</summary>
    public PolicyServerOptions PolicyServer { get; init; } = new();

    /// <summary>Task leases: duration and per-worker bound.</summary>
    public TaskLeaseOptions Leases { get; init; } = new();

    /// <summary>Replay capacity and staleness cap (max_policy_lag). The write-ahead log goes to the run directory.</summary>
    public ReplayStoreOptions Replay { get; init; } = new();

    /// <summary>
    /// Environments per worker (4 by default: the 16 episodes of a generation batch take 4 workers, and each round of a
    /// worker is one hand-off to the PolicyServer; bench cluster's actor overhead measures this) and worker timeouts
    /// (ack re-send, generation, pause after a give-back).
    /// </summary>
    public RolloutWorkerOptions Workers { get; init; } = new() { Environments = 4 };

    /// <summary>
    /// Where each rollout node's workers run; null: on the compute thread, except for the remote environment, whose
    /// steps wait on the network (<see cref="ResolvedWorkerThreads"/>).
    /// </summary>
    public WorkerThreads? WorkerThreads { get; init; }

    /// <summary>The workers' threads for environment <paramref name="env"/>: as set, or by default the compute thread (the pool for "remote").</summary>
    public WorkerThreads ResolvedWorkerThreads(string env) =>
        WorkerThreads ?? (env == "remote" ? Rollout.WorkerThreads.Pool : Rollout.WorkerThreads.Compute);

    /// <summary>Evaluation and checkpoint schedule of the learner.</summary>
    public LearnerOptions Learner { get; init; } = new();

    /// <summary>How often the replay buffer and policy servers report their counters to the metrics hub.</summary>
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Continue a crashed run from its latest checkpoint (checkpoints/latest.txt) instead of starting with the
    /// imitation stage; the replay buffer re-reads its write-ahead log either way. Only a learner uses it.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>The least generation timeout of a process whose PolicyServer shares the compute thread with a learner.</summary>
    public static readonly TimeSpan SharedThreadGenerationTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// These options for a process that holds a learner and a PolicyServer: they share the compute thread
    /// (<see cref="ComputeDispatcher"/>), so a worker's request waits while the learner evaluates or updates, for
    /// minutes in the default preset. The generation timeout guards against a server that stopped answering, which in
    /// such a process would be a stopped learner too; it is raised to <see cref="SharedThreadGenerationTimeout"/> so
    /// that the wait is not mistaken for that.
    /// </summary>
    public ActorRuntimeOptions WithLearnerOnTheComputeThread() =>
        Workers.GenerationTimeout >= SharedThreadGenerationTimeout ? this : this with { Workers = Workers with { GenerationTimeout = SharedThreadGenerationTimeout } };

    /// <summary>Problems with these settings, each naming the setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (WorkersPerNode < 1) yield return $"workers per node = {WorkersPerNode}; allowed: ≥ 1";
        if (Workers.Environments is < 1 or > Protocol.LeaseRequest.MaxCount)
            yield return $"environments per worker = {Workers.Environments}; allowed: 1..{Protocol.LeaseRequest.MaxCount}";
        else if (Leases.MaxOutstandingPerWorker < Workers.Environments)
            yield return $"leases per worker = {Leases.MaxOutstandingPerWorker} is fewer than the {Workers.Environments} environments per worker: " +
                         "its other environments would stay idle";
        if (PolicyServer.MaxBatch < 1) yield return $"policy server max batch = {PolicyServer.MaxBatch}; allowed: ≥ 1";
        if (PolicyServer.MaxWait < TimeSpan.Zero) yield return $"policy server max wait = {PolicyServer.MaxWait}; allowed: ≥ 0";
        if (Learner.EvalEveryVersions < 1) yield return $"learner eval every = {Learner.EvalEveryVersions}; allowed: ≥ 1";
        if (Learner.CheckpointEveryVersions < 1) yield return $"learner checkpoint every = {Learner.CheckpointEveryVersions}; allowed: ≥ 1";
        foreach (var problem in Leases.Validate()) yield return problem;
        foreach (var problem in Replay.Validate()) yield return problem;
    }
}

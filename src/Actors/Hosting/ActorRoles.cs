namespace RetroAct.Actors.Hosting;

/// <summary>The cluster roles a node may hold (ARCHITECTURE.md §2) and the names of the actors they run.</summary>
public static class ActorRoles
{
    /// <summary>A stable contact point; runs no actors of its own.</summary>
    public const string Seed = "seed";

    /// <summary>The Learner, the TaskDispatcher and the WeightStore (cluster singletons), the MetricsHub.</summary>
    public const string Learner = "learner";

    /// <summary>The ReplayBuffer (cluster singleton).</summary>
    public const string Replay = "replay";

    /// <summary>A RolloutNode: K workers and the node's PolicyServer.</summary>
    public const string Rollout = "rollout";

    /// <summary>The dashboard: a view of the metrics topic and the cluster members, served over HTTP (src/Dashboard).</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Every role a node may be given.</summary>
    public static readonly IReadOnlyList<string> All = [Seed, Learner, Replay, Rollout, Dashboard];

    /// <summary>Roles that need no training configuration or run directory.</summary>
    public static readonly IReadOnlyList<string> WithoutTraining = [Seed, Dashboard];

    /// <summary>Actor (and singleton) names.</summary>
    public const string LearnerName = "learner", DispatcherName = "dispatcher", WeightsName = "weights", ReplayName = "replay",
                        MetricsName = "metrics", RolloutName = "rollout";
}

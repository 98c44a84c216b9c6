using RetroAct.Core.Configuration;
using RetroAct.Learner.Losses;
using RetroAct.Learner.Policy;

namespace RetroAct.Learner.Serial;

/// <summary>
/// Everything a training run needs, as data (bound from JSON / environment / command line and validated at start-up).
/// Defaults are the "default" preset; <see cref="Presets"/> lists the overrides of the others.
/// </summary>
public sealed class TrainingConfig : IValidatedConfig
{
    /// <summary>Environment name: household, wikiqa, sql, or remote (an environment served over gRPC; see <see cref="Remote"/>).</summary>
    public string Env { get; set; } = "household";
    /// <summary>Algorithm: retroact (IL then RL, both roles), sft (IL only), sft-rl (IL then RL, planner only, no reflector).</summary>
    public string Algo { get; set; } = "retroact";
    /// <summary>Seed of everything random in the run (tasks, initialisation, sampling).</summary>
    public int Seed { get; set; } = 1;
    /// <summary>Where runs are written (a sub-directory per run).</summary>
    public string RunRoot { get; set; } = "runs";

    public AgentSettings Agent { get; set; } = new();
    public DataSettings Data { get; set; } = new();
    public ModelSettings Model { get; set; } = new();
    public ImitationSettings Imitation { get; set; } = new();
    public RlSettings Rl { get; set; } = new();
    public RemoteSettings Remote { get; set; } = new();
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Weight transports the cluster runtime knows (Cluster:WeightTransport).</summary>
    public static readonly IReadOnlyList<string> WeightTransports = ["tcp", "grpc", "akka"];

    /// <summary>The multi-node runtime (<c>retroact node</c>, <c>cluster up</c>); one process ignores it.</summary>
    public sealed class ClusterSettings
    {
        /// <summary>
        /// How rollout nodes pull weight versions from the learner node: "tcp" (one plain socket per pull from the
        /// learner node's weight server), "grpc" (a server stream from its gRPC weight server) — each with chunked Akka
        /// messages as the fallback — or "akka" (chunked Akka messages only).
        /// </summary>
        public string WeightTransport { get; set; } = "tcp";
    }

    /// <summary>The server of the remote environment (<c>retroact env serve</c>) and the environment it hosts.</summary>
    public sealed class RemoteSettings
    {
        /// <summary>The server's address (plain HTTP/2).</summary>
        public string Address { get; set; } = "http://127.0.0.1:50051";
        /// <summary>The hosted environment (its tasks, prompts, expert and oracle are used here): household, wikiqa, sql.</summary>
        public string Env { get; set; } = "household";
        /// <summary>Deadline of each call to the server.</summary>
        public double CallDeadlineSeconds { get; set; } = 30;
    }

    /// <summary>The multi-trial agent (ALGORITHMS.md §0).</summary>
    public sealed class AgentSettings
    {
        /// <summary>K: trials per task at evaluation and collection.</summary>
        public int Trials { get; set; } = 5;
        /// <summary>M: reflections in the planner's prompt.</summary>
        public int MemorySize { get; set; } = 3;
        /// <summary>T: planner turns per trial.</summary>
        public int MaxTurnsPerTrial { get; set; } = 30;
        /// <summary>Past turns kept in the planner's prompt (the opening text is always kept).</summary>
        public int HistoryWindow { get; set; } = 4;
        /// <summary>
        /// Greedy decoding at evaluation: "free" (any text), "admissible" (a thought or one of the environment's
        /// admissible commands, constrained token by token) or "ranked" (the most likely of "a thought" and each whole
        /// admissible command, scored by the model; a thought is then written greedily). Environments that list no
        /// admissible commands decode freely.
        /// RL collection has its own switch, <see cref="RlSettings.Decoding"/>.
        /// </summary>
        public string Decoding { get; set; } = "free";
    }

    /// <summary>Which tasks are used for what.</summary>
    public sealed class DataSettings
    {
        /// <summary>Training tasks the expert plays for imitation data.</summary>
        public int ImitationTasks { get; set; } = 400;
        /// <summary>Turn budget of the expert's trials (tight, so that some trials fail and reflections are written).</summary>
        public int ImitationMaxTurns { get; set; } = 20;
        /// <summary>
        /// Planner examples: "turn" (one per turn, its prompt as the agent saw it, history window applied) or "trial"
        /// (one per successful trial: the whole scratchpad, every action a target in one sequence; several times less
        /// compute per action, and needs a history window that covers the expert's trials).
        /// </summary>
        public string PlannerExamples { get; set; } = "turn";
        /// <summary>Extra training tasks played with <see cref="ReflectionMaxTurns"/> so that first trials fail and reflections get written.</summary>
        public int ReflectionTasks { get; set; }
        /// <summary>The tight turn budget of the reflection tasks.</summary>
        public int ReflectionMaxTurns { get; set; } = 10;
        /// <summary>
        /// Whether the expert writes ReAct-style "think:" lines (plan, search order, then each milestone with the next
        /// step) in its trials. Household only; they count as turns, as in the ReAct transcripts.
        /// </summary>
        public bool ExpertThoughts { get; set; }
        /// <summary>
        /// With <see cref="ExpertThoughts"/>: whether the expert also announces what it found ("Now I find egg 3. Next,
        /// I need to take it."). False leaves finding to the take itself, which ranked decoding
        /// (<c>Agent:Decoding = ranked</c>) can only choose when the object is there.
        /// </summary>
        public bool FoundThoughts { get; set; } = true;
        /// <summary>
        /// Household only: every task (imitation, RL, evaluation) of this one task type, e.g. pick_and_place_simple;
        /// empty: all six types, drawn per game.
        /// </summary>
        public string TaskType { get; set; } = "";
        /// <summary>Held-out tasks evaluated after each stage.</summary>
        public int EvalTasks { get; set; } = 50;
        /// <summary>Split of the evaluation tasks.</summary>
        public string EvalSplit { get; set; } = "unseen";
    }

    /// <summary>The planner/reflector language models.</summary>
    public sealed class ModelSettings
    {
        /// <summary>Size preset: 1m, 5m, 20m.</summary>
        public string Preset { get; set; } = "5m";
        /// <summary>Context length in tokens (prompt + generated).</summary>
        public int ContextLength { get; set; } = 512;
        /// <summary>Vocabulary size of the compact tokenizer trained on the imitation data.</summary>
        public int TokenizerVocab { get; set; } = 2048;
        /// <summary>TwoModels (reference), SharedModel (ablation), or LoraAdapters (two LoRA adapters on one base; RL trains the adapters only).</summary>
        public RoleSharing Sharing { get; set; } = RoleSharing.TwoModels;
        /// <summary>LoraAdapters: rank and alpha of each role's adapter on the attention's q and v projections (the paper's r = 8, α = 16).</summary>
        public int LoraRank { get; set; } = 8;
        public double LoraAlpha { get; set; } = 16;
        /// <summary>Generation budget of one planner turn and of one reflection, in tokens.</summary>
        public int PlannerMaxTokens { get; set; } = 24;
        public int ReflectorMaxTokens { get; set; } = 96;
        /// <summary>Episodes generated together (the batch of each forward pass).</summary>
        public int GenerationBatch { get; set; } = 16;
    }

    /// <summary>Stage 1: imitation learning.</summary>
    public sealed class ImitationSettings
    {
        public int Epochs { get; set; } = 3;
        public int BatchSize { get; set; } = 16;
        public double LearningRate { get; set; } = 1e-3;
        public int WarmupSteps { get; set; } = 20;
        /// <summary>Evaluate on the held-out tasks every N epochs of imitation (0: only after the stage) — a learning curve.</summary>
        public int EvalEveryEpochs { get; set; }
        /// <summary>Count only agent-written tokens (observations masked), as ETO does.</summary>
        public bool AgentTokensOnly { get; set; } = true;
        /// <summary>
        /// An earlier run's imitation checkpoint (checkpoints/imitation) to start from instead of training one: the
        /// imitation data is still generated (the RL stage's regulariser), no imitation epoch runs. Empty: train.
        /// </summary>
        public string InitFrom { get; set; } = "";
    }

    /// <summary>Stage 2: the RetroAct off-policy joint policy gradient (ALGORITHMS.md §2).</summary>
    public sealed class RlSettings
    {
        public int Iterations { get; set; } = 2;
        /// <summary>Training tasks collected (at temperature 1) per iteration.</summary>
        public int TasksPerIteration { get; set; } = 64;
        public int Epochs { get; set; } = 3;
        public int BatchSize { get; set; } = 16;
        public double LearningRate { get; set; } = 1e-4;
        public double Temperature { get; set; } = 1.0;
        /// <summary>
        /// Sampling at collection: "free" (any text) or "admissible" (planner turns sampled from the policy renormalised
        /// over a thought or the environment's admissible commands). The recorded behaviour log-probabilities are those
        /// of the distribution actually sampled (μ, the constrained one), so the importance ratio π_θ/μ corrects for it.
        /// </summary>
        public string Decoding { get; set; } = "free";
        public double Epsilon { get; set; } = 0.3;
        public double Lambda { get; set; } = 1.0;
        public RatioVariant Variant { get; set; } = RatioVariant.TokenDetached;
        public LossNormalization Normalization { get; set; } = LossNormalization.AllPositions;
        public ReflectorRewardRule ReflectorReward { get; set; } = ReflectorRewardRule.Difference;
        public bool DropZeroRewardPlannerSamples { get; set; } = true;
        public bool PerTaskMeanBaseline { get; set; }
        /// <summary>RL checkpoints (checkpoints/rl-N) kept on disk: the newest N (and always the imitation checkpoint); 0 keeps every one.</summary>
        public int KeepCheckpoints { get; set; } = 3;

        public RetroActLossOptions LossOptions() => new()
        {
            Epsilon = Epsilon,
            Lambda = Lambda,
            Variant = Variant,
            Normalization = Normalization,
            ReflectorReward = ReflectorReward,
            DropZeroRewardPlannerSamples = DropZeroRewardPlannerSamples,
            PerTaskMeanBaseline = PerTaskMeanBaseline,
        };
    }

    public static readonly IReadOnlyList<string> Algorithms = ["retroact", "sft", "sft-rl"];
    public static readonly IReadOnlyList<string> Environments = ["household", "wikiqa", "sql", "remote"];
    public static readonly IReadOnlyList<string> ModelPresets = ["1m", "5m", "20m"];

    /// <summary>Named presets as configuration overrides (keys as in appsettings.json).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Presets = new Dictionary<string, IReadOnlyDictionary<string, string?>>
    {
        ["quick"] = new Dictionary<string, string?>
        {
            ["Model:Preset"] = "1m", ["Model:TokenizerVocab"] = "1024", ["Agent:Trials"] = "3", ["Agent:MaxTurnsPerTrial"] = "20",
            ["Data:ImitationTasks"] = "150", ["Data:EvalTasks"] = "20", ["Imitation:Epochs"] = "2",
            ["Rl:Iterations"] = "1", ["Rl:TasksPerIteration"] = "24", ["Rl:Epochs"] = "1",
        },
        ["default"] = new Dictionary<string, string?>(),
        ["paper"] = new Dictionary<string, string?>
        {
            ["Agent:Trials"] = "10", ["Agent:MaxTurnsPerTrial"] = "50", ["Data:EvalTasks"] = "134", ["Rl:Iterations"] = "3",
        },
    };

    /// <summary>The adapters' configuration for <see cref="RoleSharing.LoraAdapters"/>.</summary>
    public RetroAct.Model.Lora.LoraConfig Lora => new() { Rank = Model.LoraRank, Alpha = Model.LoraAlpha };

    public IEnumerable<string> Validate()
    {
        if (!Environments.Contains(Env)) yield return $"Env = '{Env}'; allowed: {string.Join(", ", Environments)}";
        if (Env == "remote")
        {
            if (Remote.Env is not ("household" or "wikiqa" or "sql")) yield return $"Remote:Env = '{Remote.Env}'; allowed: household, wikiqa, sql";
            if (!Uri.TryCreate(Remote.Address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                yield return $"Remote:Address = '{Remote.Address}'; allowed: an http:// or https:// URL such as http://127.0.0.1:50051";
            if (!(Remote.CallDeadlineSeconds > 0)) yield return $"Remote:CallDeadlineSeconds = {Remote.CallDeadlineSeconds}; allowed: > 0";
        }
        if (!Algorithms.Contains(Algo)) yield return $"Algo = '{Algo}'; allowed: {string.Join(", ", Algorithms)}";
        if (!WeightTransports.Contains(Cluster.WeightTransport))
            yield return $"Cluster:WeightTransport = '{Cluster.WeightTransport}'; allowed: {string.Join(", ", WeightTransports)}";
        if (Agent.Trials < 1) yield return $"Agent:Trials = {Agent.Trials}; allowed: ≥ 1";
        if (Agent.MemorySize < 0) yield return $"Agent:MemorySize = {Agent.MemorySize}; allowed: ≥ 0";
        if (Agent.MaxTurnsPerTrial < 1) yield return $"Agent:MaxTurnsPerTrial = {Agent.MaxTurnsPerTrial}; allowed: ≥ 1";
        if (Agent.HistoryWindow < 0) yield return $"Agent:HistoryWindow = {Agent.HistoryWindow}; allowed: ≥ 0";
        if (Data.ImitationTasks < 1) yield return $"Data:ImitationTasks = {Data.ImitationTasks}; allowed: ≥ 1";
        if (Agent.Decoding is not ("free" or "admissible" or "ranked")) yield return $"Agent:Decoding = '{Agent.Decoding}'; allowed: free, admissible, ranked";
        if (!Data.FoundThoughts && !Data.ExpertThoughts) yield return "Data:FoundThoughts = false needs Data:ExpertThoughts = true (it leaves out one kind of the expert's thoughts)";
        if (Data.ExpertThoughts && Env != "household")
            yield return $"Data:ExpertThoughts = true needs Env = household (the only expert that writes thoughts); Env = {Env}";
        if (Data.TaskType != "" && Env != "household")
            yield return $"Data:TaskType = '{Data.TaskType}' needs Env = household (its task types); Env = {Env}";
        if (Imitation.InitFrom != "" && !File.Exists(Path.Combine(Imitation.InitFrom, Policy.AgentCheckpoint.InfoFile)))
            yield return $"Imitation:InitFrom = '{Imitation.InitFrom}': no agent checkpoint there ({Policy.AgentCheckpoint.InfoFile} missing); " +
                         "allowed: a run's checkpoints/imitation folder, or empty";
        if (Data.ImitationMaxTurns < 1) yield return $"Data:ImitationMaxTurns = {Data.ImitationMaxTurns}; allowed: ≥ 1";
        if (Data.PlannerExamples is not ("turn" or "trial")) yield return $"Data:PlannerExamples = '{Data.PlannerExamples}'; allowed: turn, trial";
        if (Data.PlannerExamples == "trial" && Agent.HistoryWindow < Math.Max(Data.ImitationMaxTurns, Data.ReflectionTasks > 0 ? Data.ReflectionMaxTurns : 0))
            yield return $"Agent:HistoryWindow = {Agent.HistoryWindow}; with Data:PlannerExamples = trial it must cover the expert's trials " +
                         $"(≥ Data:ImitationMaxTurns = {Data.ImitationMaxTurns}), or the prompts seen in training and at inference differ";
        if (Data.ReflectionTasks < 0) yield return $"Data:ReflectionTasks = {Data.ReflectionTasks}; allowed: ≥ 0";
        if (Data.ReflectionMaxTurns < 1) yield return $"Data:ReflectionMaxTurns = {Data.ReflectionMaxTurns}; allowed: ≥ 1";
        if (Data.EvalTasks < 1) yield return $"Data:EvalTasks = {Data.EvalTasks}; allowed: ≥ 1";
        if (Data.EvalSplit is not ("train" or "unseen" or "seen" or "dev")) yield return $"Data:EvalSplit = '{Data.EvalSplit}'; allowed: train, seen, unseen, dev";
        if (!ModelPresets.Contains(Model.Preset)) yield return $"Model:Preset = '{Model.Preset}'; allowed: {string.Join(", ", ModelPresets)}";
        if (Model.ContextLength < 64) yield return $"Model:ContextLength = {Model.ContextLength}; allowed: ≥ 64";
        if (Model.TokenizerVocab is < 300 or > 65536) yield return $"Model:TokenizerVocab = {Model.TokenizerVocab}; allowed: 300..65536";
        if (Model.PlannerMaxTokens < 1 || Model.PlannerMaxTokens >= Model.ContextLength / 2)
            yield return $"Model:PlannerMaxTokens = {Model.PlannerMaxTokens}; allowed: 1 .. ContextLength/2";
        if (Model.ReflectorMaxTokens < 1 || Model.ReflectorMaxTokens >= Model.ContextLength / 2)
            yield return $"Model:ReflectorMaxTokens = {Model.ReflectorMaxTokens}; allowed: 1 .. ContextLength/2";
        if (Model.GenerationBatch < 1) yield return $"Model:GenerationBatch = {Model.GenerationBatch}; allowed: ≥ 1";
        if (!Enum.IsDefined(Model.Sharing)) yield return $"Model:Sharing = {Model.Sharing}; allowed: {string.Join(", ", Enum.GetNames<RoleSharing>())}";
        if (Model.LoraRank < 1) yield return $"Model:LoraRank = {Model.LoraRank}; allowed: ≥ 1";
        if (!(Model.LoraAlpha > 0)) yield return $"Model:LoraAlpha = {Model.LoraAlpha}; allowed: > 0";
        if (Imitation.Epochs < 1) yield return $"Imitation:Epochs = {Imitation.Epochs}; allowed: ≥ 1";
        if (Imitation.BatchSize < 1) yield return $"Imitation:BatchSize = {Imitation.BatchSize}; allowed: ≥ 1";
        if (Imitation.EvalEveryEpochs < 0) yield return $"Imitation:EvalEveryEpochs = {Imitation.EvalEveryEpochs}; allowed: ≥ 0";
        if (!(Imitation.LearningRate > 0)) yield return $"Imitation:LearningRate = {Imitation.LearningRate}; allowed: > 0";
        if (Rl.Iterations < 0) yield return $"Rl:Iterations = {Rl.Iterations}; allowed: ≥ 0";
        if (Rl.TasksPerIteration < 1) yield return $"Rl:TasksPerIteration = {Rl.TasksPerIteration}; allowed: ≥ 1";
        if (Rl.Epochs < 1) yield return $"Rl:Epochs = {Rl.Epochs}; allowed: ≥ 1";
        if (Rl.BatchSize < 1) yield return $"Rl:BatchSize = {Rl.BatchSize}; allowed: ≥ 1";
        if (!(Rl.LearningRate > 0)) yield return $"Rl:LearningRate = {Rl.LearningRate}; allowed: > 0";
        if (Rl.Decoding is not ("free" or "admissible")) yield return $"Rl:Decoding = '{Rl.Decoding}'; allowed: free, admissible";
        if (Rl.Temperature < 0) yield return $"Rl:Temperature = {Rl.Temperature}; allowed: ≥ 0";
        if (!(Rl.Epsilon is > 0 and < 1)) yield return $"Rl:Epsilon = {Rl.Epsilon}; allowed: 0 < ε < 1";
        if (!(Rl.Lambda >= 0)) yield return $"Rl:Lambda = {Rl.Lambda}; allowed: ≥ 0";
        if (Rl.KeepCheckpoints < 0) yield return $"Rl:KeepCheckpoints = {Rl.KeepCheckpoints}; allowed: ≥ 0 (0 keeps every RL checkpoint)";
    }
}

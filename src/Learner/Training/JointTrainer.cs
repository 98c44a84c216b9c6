using RetroAct.Learner.Losses;
using RetroAct.Learner.Optimization;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using RetroAct.Model.Scoring;
using RetroAct.Rollout;
using TorchSharp;
using static TorchSharp.torch;

namespace RetroAct.Learner.Training;

/// <summary>Optimiser settings (AdamW, gradient clipping, warm-up + cosine schedule).</summary>
public sealed record OptimizerSettings(double LearningRate = 1e-3, double WeightDecay = 0.01, double ClipNorm = 1.0,
                                       int WarmupSteps = 20, double MinLearningRateRatio = 0.1);

/// <summary>What one optimiser step did, for metrics.jsonl and the dashboard.</summary>
public sealed record StepStats(IReadOnlyDictionary<string, double> Values);

/// <summary>
/// Optimiser steps over the agent models: imitation steps (stage 1; the SFT baseline) and RetroAct joint steps
/// (stage 2: L = L_RL(planner) + L_RL(reflector) + λ·(L_IL(planner) + L_IL(reflector))). One AdamW optimiser covers
/// both roles' parameters, so one backward pass of the joint loss updates both models.
/// </summary>
public sealed class JointTrainer : IDisposable
{
    private readonly AgentModels _models;
    private readonly optim.Optimizer _optimizer;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;
    private readonly OptimizerSettings _settings;
    private readonly LearningRateSchedule _schedule;

    public int Step { get; private set; }

    public JointTrainer(AgentModels models, OptimizerSettings settings, int totalSteps)
    {
        _models = models;
        _settings = settings;
        _schedule = new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, Math.Max(1, totalSteps), settings.MinLearningRateRatio);
        _schedule.Validate();
        _parameters = models.TrainableParameters().ToList();
        if (_parameters.Count == 0) throw new InvalidOperationException("the agent models have no trainable parameter");
        _optimizer = optim.AdamW(_parameters, lr: settings.LearningRate, weight_decay: settings.WeightDecay);
    }

    /// <summary>One imitation step: mean token cross-entropy on the counted output tokens of each role's samples.</summary>
    public StepStats ImitationStep(IReadOnlyList<TrainingSample> batch, LossNormalization normalization = LossNormalization.OutputTokens)
    {
        using var scope = NewDisposeScope();
        TrainMode();
        var values = new Dictionary<string, double>();
        Tensor? loss = null;
        foreach (var (role, samples) in ByRole(batch))
        {
            using var active = _models.Use(role); // the role's adapter, when the roles are adapters on one base
            var tensors = RoleTensors.Create(samples, _models.For(role).Device); // freed by the step's dispose scope
            Tensor logProbs = SequenceScorer.TokenLogProbs(_models.For(role), tensors.Ids, tensors.Counted, keepGraph: true);
            Tensor il = ImitationLoss.Compute(logProbs, tensors.Counted, normalization);
            values[$"il_{Name(role)}"] = il.item<float>();
            loss = loss is null ? il : RootedScalars.Plus(loss, il);
        }
        values["loss"] = loss!.item<float>();
        Apply(loss, values);
        return new StepStats(values);
    }

    /// <summary>One RetroAct step on RL samples (with behaviour log-probs and rewards) paired with imitation samples.</summary>
    public StepStats RetroActStep(IReadOnlyList<TrainingSample> rl, IReadOnlyList<TrainingSample> il, RetroActLossOptions options)
    {
        using var scope = NewDisposeScope();
        TrainMode();
        var rlByRole = ByRole(rl);
        var ilByRole = ByRole(il);
        RoleBatch? Batch(AgentRole role)
        {
            if (!rlByRole.TryGetValue(role, out var samples)) return null;
            using var active = _models.Use(role);
            var model = _models.For(role);
            var r = RoleTensors.Create(samples, model.Device, options.PerTaskMeanBaseline);
            Tensor rlLogProbs = SequenceScorer.TokenLogProbs(model, r.Ids, r.Counted, keepGraph: true);
            if (!ilByRole.TryGetValue(role, out var imitation))
                return new RoleBatch(rlLogProbs, r.Behaviour, r.Counted, r.Rewards, null, null);
            var i = RoleTensors.Create(imitation, model.Device);
            return new RoleBatch(rlLogProbs, r.Behaviour, r.Counted, r.Rewards,
                SequenceScorer.TokenLogProbs(model, i.Ids, i.Counted, keepGraph: true), i.Counted);
        }

        var terms = RetroActLoss.Compute(Batch(AgentRole.Planner), Batch(AgentRole.Reflector), options);
        var values = new Dictionary<string, double> { ["loss"] = terms.Loss.item<float>() };
        void Add(string name, Tensor? t) { if (t is not null) values[name] = t.item<float>(); }
        Add("rl_planner", terms.PlannerRl);
        Add("rl_reflector", terms.ReflectorRl);
        Add("il_planner", terms.PlannerIl);
        Add("il_reflector", terms.ReflectorIl);
        if (terms.PlannerWeights is { } pw) { values["w_mean_planner"] = pw.MeanWeight; values["w_clipped_planner"] = pw.FractionClipped; }
        if (terms.ReflectorWeights is { } rw) { values["w_mean_reflector"] = rw.MeanWeight; values["w_clipped_reflector"] = rw.FractionClipped; }
        Apply(terms.Loss, values);
        return new StepStats(values);
    }

    private void Apply(Tensor loss, Dictionary<string, double> values)
    {
        double lr = _schedule.At(Step);
        foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;
        _optimizer.zero_grad();
        loss.backward();
        values["grad_norm"] = _settings.ClipNorm > 0
            ? nn.utils.clip_grad_norm_(_parameters, _settings.ClipNorm)
            : double.NaN;
        values["lr"] = lr;
        _optimizer.step();
        Step++;
    }

    private void TrainMode()
    {
        _models.SetTraining(true);
    }

    private static string Name(AgentRole role) => role == AgentRole.Planner ? "planner" : "reflector";

    private static Dictionary<AgentRole, List<TrainingSample>> ByRole(IReadOnlyList<TrainingSample> samples) =>
        samples.GroupBy(s => s.Role).ToDictionary(g => g.Key, g => g.ToList());

    public void Dispose() => _optimizer.Dispose();

    /// <summary>Right-padded [B, W] tensors of one role's samples: ids, counted-output mask, behaviour log-probs, rewards.</summary>
    private sealed record RoleTensors(Tensor Ids, Tensor Counted, Tensor Behaviour, Tensor Rewards)
    {
        public static RoleTensors Create(IReadOnlyList<TrainingSample> samples, Device device, bool perTaskBaseline = false)
        {
            int batch = samples.Count, width = samples.Max(s => s.Prompt.Length + s.Output.Length);
            var ids = new long[batch * width];
            var counted = new float[batch * width];
            var behaviour = new float[batch * width];
            for (int b = 0; b < batch; b++)
            {
                var s = samples[b];
                if (s.Prompt.Length == 0) throw new ArgumentException($"a {s.Role} sample of {s.Task} has an empty prompt");
                int offset = b * width;
                for (int i = 0; i < s.Prompt.Length; i++) ids[offset + i] = s.Prompt[i];
                for (int i = 0; i < s.Output.Length; i++)
                {
                    int at = offset + s.Prompt.Length + i;
                    ids[at] = s.Output[i];
                    counted[at] = s.Counted[i] ? 1 : 0;
                    if (s.BehaviourLogProbs.Length > 0) behaviour[at] = s.BehaviourLogProbs[i];
                }
            }
            double[] rewards = perTaskBaseline
                ? Losses.Rewards.SubtractPerTaskMean(samples.Select(s => s.Reward).ToList(), samples.Select(s => s.Task).ToList())
                : samples.Select(s => s.Reward).ToArray();
            return new RoleTensors(
                tensor(ids, [batch, width], device: device),
                tensor(counted, [batch, width], device: device),
                tensor(behaviour, [batch, width], device: device),
                tensor(rewards.Select(r => (float)r).ToArray(), device: device));
        }
    }
}

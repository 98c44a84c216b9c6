using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;
using RetroAct.Rollout.Agents;
using RetroAct.Rollout.Prompts;

namespace RetroAct.Rollout;

/// <summary>Which agent an episode is waiting for.</summary>
public enum AgentRole { Planner, Reflector }

/// <summary>
/// What an episode needs next: a planner turn or a reflection. It carries the rendered prompt (for language-model
/// agents) and the raw inputs (for scripted agents that read observations, not prompts).
/// </summary>
public sealed record PendingTurn(AgentRole Role, string Prompt, TrialContext Context, string Observation, bool StartsTrial,
                                 Trial? FailedTrial, IReadOnlyList<Reflection> Memory)
{
    /// <summary>The environment's admissible commands at a planner turn, when it lists them.</summary>
    public IReadOnlyList<string>? Admissible { get; init; }
}

/// <summary>
/// The multi-trial loop of ALGORITHMS.md §0 as a state machine: it asks for one agent text at a time
/// (<see cref="Pending"/>) and advances when given it (<see cref="Submit"/>). Because it never calls an agent itself,
/// the same logic runs under a synchronous runner, a lock-step batched runner, or a rollout actor whose model sits in
/// another actor. The environment steps happen inside <see cref="Submit"/>.
/// </summary>
public sealed class EpisodeStepper
{
    private readonly ITextEnvironment _environment;
    private readonly MultiTrialOptions _options;
    private readonly PlannerPrompt _plannerPrompt;
    private readonly ReflectorPrompt _reflectorPrompt;
    private readonly bool _useReflector;
    private readonly List<Trial> _trials = [];
    private readonly List<Reflection> _memory = [];
    private readonly List<Turn> _turns = [];
    private readonly List<(string Action, string Observation)> _history = [];
    private TrialContext _context = null!;
    private StepResult _last = null!;
    private int _trialIndex;

    public TaskSpec Task { get; }
    public Guid EpisodeId { get; }
    public PendingTurn? Pending { get; private set; }
    public bool Done => Pending is null;

    public EpisodeStepper(ITextEnvironment environment, TaskSpec task, MultiTrialOptions options, bool useReflector,
                          PlannerPrompt plannerPrompt, ReflectorPrompt reflectorPrompt, Guid? episodeId = null)
    {
        options.Validate();
        (_environment, Task, _options, _useReflector, _plannerPrompt, _reflectorPrompt) =
            (environment, task, options, useReflector, plannerPrompt, reflectorPrompt);
        EpisodeId = episodeId ?? Guid.NewGuid();
        StartTrial();
    }

    /// <summary>The episode so far (complete once <see cref="Done"/>).</summary>
    public Episode Result => new(EpisodeId, Task, _trials.ToList(), _memory.ToList());

    /// <summary>Gives the pending agent its text and runs the episode forward to the next request.</summary>
    public void Submit(AgentText text)
    {
        PendingTurn pending = Pending ?? throw new InvalidOperationException($"episode {EpisodeId} is done; nothing is pending");
        if (pending.Role == AgentRole.Reflector)
        {
            _memory.Add(new Reflection(_trialIndex, text.Text.Trim())
            {
                TokenIds = text.TokenIds,
                BehaviourLogProbs = text.BehaviourLogProbs,
                PolicyVersion = text.PolicyVersion,
            });
            StartTrial();
            return;
        }

        ParsedTurn parsed = ActionParser.Parse(text.Text);
        string observation;
        if (parsed.IsThought)
        {
            observation = ActionParser.ThoughtReply;
        }
        else
        {
            _last = _environment.Step(parsed.Text);
            observation = _last.Observation;
        }
        _turns.Add(new Turn(parsed.Text, observation, parsed.IsThought ? 0 : _last.Reward, _last.Done)
        {
            TokenIds = text.TokenIds,
            BehaviourLogProbs = text.BehaviourLogProbs,
            PolicyVersion = text.PolicyVersion,
        });
        _history.Add((parsed.Text, observation));

        if (_last.Done || _turns.Count >= _options.MaxTurnsPerTrial) EndTrial();
        else Pending = PlannerTurn(observation, startsTrial: false);
    }

    private void StartTrial()
    {
        _trialIndex++;
        _turns.Clear();
        _history.Clear();
        _last = _environment.Reset(Task);
        var shown = _memory.Skip(Math.Max(0, _memory.Count - _options.MemorySize)).ToList();
        _context = new TrialContext(_last.Observation, shown, _trialIndex, Task);
        Pending = PlannerTurn(_last.Observation, startsTrial: true);
    }

    private PendingTurn PlannerTurn(string observation, bool startsTrial) =>
        new(AgentRole.Planner, _plannerPrompt.Render(_context, _history), _context, observation, startsTrial, null, _memory)
        {
            Admissible = _environment.AdmissibleActions,
        };

    private void EndTrial()
    {
        double trialReturn = _turns.Sum(t => t.Reward);
        bool success = _last.Success || trialReturn >= _options.SuccessThreshold;
        var trial = new Trial(Task, _trialIndex, _context.InitialObservation, _turns.ToList(), trialReturn, success);
        _trials.Add(trial);
        // The reflection written after trial k − 1 earns R_k − R_{k−1} now that trial k has ended.
        if (_memory.Count > 0 && _memory[^1].AfterTrialIndex == _trialIndex - 1)
            _memory[^1] = _memory[^1] with { Reward = trial.Return - _trials[^2].Return };

        if (success || !_useReflector || _trialIndex == _options.Trials)
        {
            Pending = null;
            return;
        }
        var memory = _memory.ToList();
        Pending = new PendingTurn(AgentRole.Reflector, _reflectorPrompt.Render(trial, memory), _context, "", false, trial, memory);
    }
}

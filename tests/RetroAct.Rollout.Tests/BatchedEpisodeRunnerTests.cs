using RetroAct.Core.Environments;
using RetroAct.Rollout.Agents;

namespace RetroAct.Rollout.Tests;

public class BatchedEpisodeRunnerTests
{
    /// <summary>Task seed s needs the command "press s"; anything else does nothing. At most 3 steps.</summary>
    private sealed class ButtonEnvironment : ITextEnvironment
    {
        private int _seed, _steps;
        public EnvironmentInfo Info { get; } = new("buttons", 3, ["train"], ["press"]);
        public IReadOnlyList<string>? AdmissibleActions => null;
        public StepResult Reset(TaskSpec task) { _seed = task.Seed; _steps = 0; return new("Buttons 0-9.", 0, false, false); }
        public StepResult Step(string action)
        {
            _steps++;
            bool won = action == $"press {_seed}";
            return new StepResult(won ? "Click." : "Nothing happens.", won ? 1 : 0, won || _steps >= 3, won);
        }
        public void Dispose() { }
    }

    /// <summary>Presses 0 unless the prompt's memory says to press 2; its reflection always says so (right only for seed 2).</summary>
    private sealed class GuessingPolicy : ITextPolicy
    {
        public List<int> BatchSizes { get; } = [];
        public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
        {
            BatchSizes.Add(requests.Count);
            return requests.Select(r => r.Role == AgentRole.Reflector
                    ? new AgentText("Next time press 2.")
                    : new AgentText(r.Prompt.Contains("press 2.", StringComparison.Ordinal) ? "press 2" : "press 0") { PolicyVersion = 4 })
                .ToList();
        }
    }

    [Fact]
    public void EpisodesAdvanceInLockStepAndComeBackInTaskOrder()
    {
        var tasks = Enumerable.Range(0, 5).Select(s => new TaskSpec("buttons", "train", s)).ToList();
        var policy = new GuessingPolicy();
        var runner = new BatchedEpisodeRunner(() => new ButtonEnvironment(), policy, new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 3), useReflector: true)
        {
            MaxConcurrentEpisodes = 4,
        };
        var finished = new List<int>();

        var episodes = runner.Run(tasks, new SynchronousProgress(finished.Add));

        Assert.Equal(tasks, episodes.Select(e => e.Task));
        Assert.True(episodes[0].Trials[0].Success);                  // seed 0: "press 0" works at once
        Assert.True(episodes[2].Trials[1].Success);                  // seed 2: solved after the reflection
        Assert.Equal(1.0, episodes[2].Reflections[0].Reward);
        Assert.All(new[] { 1, 3, 4 }, i => Assert.False(episodes[i].Trials[^1].Success));
        Assert.Equal(4, policy.BatchSizes[0]);                        // four episodes share each forward pass
        Assert.All(policy.BatchSizes, size => Assert.InRange(size, 1, 4));
        Assert.Equal([1, 2, 3, 4, 5], finished);
        Assert.All(episodes[1].Trials[0].Turns, t => Assert.Equal(4, t.PolicyVersion));
    }

    [Fact]
    public async Task RunsToTheEndWithoutAProgressSink()
    {
        var tasks = Enumerable.Range(0, 3).Select(s => new TaskSpec("buttons", "train", s)).ToList();
        var runner = new BatchedEpisodeRunner(() => new ButtonEnvironment(), new GuessingPolicy(), new MultiTrialOptions(Trials: 1, MaxTurnsPerTrial: 3), useReflector: false)
        {
            MaxConcurrentEpisodes = 2,
        };
        var episodes = await Task.Run(() => runner.Run(tasks)).WaitAsync(TimeSpan.FromSeconds(30)); // throws TimeoutException if it loops
        Assert.Equal(3, episodes.Count);
    }

    [Fact]
    public void A_cancelled_run_stops_before_its_next_generation_round_and_closes_its_environments()
    {
        using var cancel = new CancellationTokenSource();
        var policy = new CancellingPolicy(cancel, afterCalls: 2);
        int opened = 0, closed = 0;
        var runner = new BatchedEpisodeRunner(() => new CountedEnvironment(() => opened++, () => closed++), policy,
            new MultiTrialOptions(Trials: 2, MaxTurnsPerTrial: 3), useReflector: true)
        {
            MaxConcurrentEpisodes = 4,
        };
        var tasks = Enumerable.Range(0, 40).Select(s => new TaskSpec("buttons", "train", s + 10)).ToList(); // seeds no guess solves

        Assert.Throws<OperationCanceledException>(() => runner.Run(tasks, cancel: cancel.Token));

        Assert.Equal(2, policy.Calls);       // no generation round after the one that saw the request to stop
        Assert.Equal(4, opened);             // no new episode was started either
        Assert.Equal(opened, closed);
    }

    /// <summary>Answers "press 0" and cancels <paramref name="cancel"/> during its <paramref name="afterCalls"/>-th call.</summary>
    private sealed class CancellingPolicy(CancellationTokenSource cancel, int afterCalls) : ITextPolicy
    {
        public int Calls { get; private set; }
        public IReadOnlyList<AgentText> Generate(IReadOnlyList<GenerationRequest> requests)
        {
            if (++Calls == afterCalls) cancel.Cancel();
            return requests.Select(_ => new AgentText("press 0")).ToList();
        }
    }

    private sealed class CountedEnvironment(Action opened, Action closed) : ITextEnvironment
    {
        private readonly ButtonEnvironment _inner = CreateAndCount(opened);
        public EnvironmentInfo Info => _inner.Info;
        public IReadOnlyList<string>? AdmissibleActions => null;
        public StepResult Reset(TaskSpec task) => _inner.Reset(task);
        public StepResult Step(string action) => _inner.Step(action);
        public void Dispose() => closed();

        private static ButtonEnvironment CreateAndCount(Action opened)
        {
            opened();
            return new ButtonEnvironment();
        }
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

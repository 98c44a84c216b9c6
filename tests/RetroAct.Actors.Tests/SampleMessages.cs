using RetroAct.Actors.Protocol;
using RetroAct.Core.Environments;
using RetroAct.Core.Trajectories;

namespace RetroAct.Actors.Tests;

/// <summary>Small realistic values of every cluster message, shared by the tests.</summary>
public static class SampleMessages
{
    public static readonly TaskSpec Task = new("household", "train", 7, "pick_and_place");

    /// <summary>An episode with <paramref name="trials"/> trials of <paramref name="turnsPerTrial"/> model-written turns each.</summary>
    public static Episode Episode(int trials = 2, int turnsPerTrial = 3, long policyVersion = 5, double trialReturn = 0.0, int tokensPerTurn = 4, Guid? id = null)
    {
        var trialList = Enumerable.Range(0, trials).Select(t => new Trial(
            Task, t, "You are in the middle of a room.",
            Enumerable.Range(0, turnsPerTrial).Select(i => new Turn($"go to desk {i}", $"You arrive at desk {i}.", 0.0, i == turnsPerTrial - 1)
            {
                TokenIds = Enumerable.Range(i, tokensPerTurn).ToArray(),
                BehaviourLogProbs = Enumerable.Range(0, tokensPerTurn).Select(k => -0.1f * (k + 1)).ToArray(),
                PolicyVersion = policyVersion + t,
            }).ToList(),
            trialReturn, trialReturn > 0)).ToList();
        var reflections = new List<Reflection> { new(0, "I should have opened the drawer first.") { PolicyVersion = policyVersion } };
        return new Episode(id ?? Guid.NewGuid(), Task, trialList, reflections);
    }

    public static TrajectoryBatch Batch(long policyVersion = 5, double trialReturn = 0.0, Guid? id = null) =>
        TrajectoryBatch.Create(id ?? Guid.NewGuid(), Episode(policyVersion: policyVersion, trialReturn: trialReturn));

    /// <summary>One instance of every message type (the registry test checks none is missing).</summary>
    public static IReadOnlyList<IClusterMessage> OneOfEach()
    {
        var worker = new WorkerAddress("akka.tcp://retroact@10.0.0.7:4053", 3);
        return
        [
            new LeaseRequest(worker, 2),
            new LeaseRequestParked(2),
            new TaskLease(Guid.NewGuid(), Task, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            new LeaseCompleted(Guid.NewGuid(), Guid.NewGuid()),
            new LeaseGivenBack(Guid.NewGuid(), "environment server 10.0.0.7:5005 unreachable"),
            new EnqueueTasks([Task, Task with { Seed = 8 }]),
            new GenerateRequest(Guid.NewGuid(), PolicyRole.Reflector, "Task: put a mug on the desk.\n> "),
            new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "Task: put a mug on the desk.\n> ", ["go to desk 1", "look", "inventory"]),
            new GenerateResponse(Guid.NewGuid(), "go to desk 1", [5, 6, 7], [-0.5f, -0.25f, -1f], 12),
            new GenerateFailed(Guid.NewGuid(), "prompt exceeds the context window"),
            Batch(),
            new TrajectoryFragment(Guid.NewGuid(), 1, 3, [1, 2, 3]),
            new TrajectoryAck(Guid.NewGuid(), true),
            new TrajectoryRejected(Guid.NewGuid(), "fragments disagree"),
            new SampleRequest(Guid.NewGuid(), 16, SamplingMode.Prioritised, 9),
            new SampleReply(Guid.NewGuid(), [Guid.NewGuid(), Guid.NewGuid()], 1),
            new WeightsVersionReady(4, true, 100, 64, 2, new byte[16]),
            new WeightsVersionReady(5, false, 100, 64, 2, new byte[16], Epoch: 1, StreamUri: "http://10.0.0.5:5054"),
            new WeightChunkRequest(4, 0, 2),
            new WeightChunk(4, 1, 2, [9, 8, 7]),
            new WeightsVersionUnavailable(3, "superseded by version 4"),
            new WeightsVersionQuery(2),
            new MetricsReport("learner", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                              new Dictionary<string, double> { ["loss"] = 0.5, ["policy_lag"] = 1 }),
        ];
    }
}

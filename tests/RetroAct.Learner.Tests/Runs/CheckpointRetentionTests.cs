using RetroAct.Learner.Runs;

namespace RetroAct.Learner.Tests.Runs;

public sealed class CheckpointRetentionTests : IDisposable
{
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("retroact-retention-").FullName;

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    private void Make(params string[] folders)
    {
        foreach (string folder in folders)
        {
            Directory.CreateDirectory(Path.Combine(_checkpoints, folder));
            File.WriteAllText(Path.Combine(_checkpoints, folder, "agent.json"), "{}");
        }
    }

    private string[] Left() => Directory.GetDirectories(_checkpoints).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void KeepsTheNewestRlCheckpointsByVersionAndEverythingElse()
    {
        Make("imitation", "rl-1", "rl-2", "rl-9", "rl-10", "rl-11", "rl-x", "notes");
        File.WriteAllText(Path.Combine(_checkpoints, "latest.txt"), "rl-11\n");

        var deleted = CheckpointRetention.Prune(_checkpoints, keep: 2);

        // By version, not by name: rl-9 is older than rl-10.
        Assert.Equal(["rl-1", "rl-2", "rl-9"], deleted.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["imitation", "notes", "rl-10", "rl-11", "rl-x"], Left());
    }

    [Fact]
    public void NeverDeletesTheCheckpointLatestNames()
    {
        // A resumed run's latest may be older than folders a crashed incarnation left behind.
        Make("rl-3", "rl-4", "rl-5");
        File.WriteAllText(Path.Combine(_checkpoints, "latest.txt"), "rl-3\n");

        CheckpointRetention.Prune(_checkpoints, keep: 1);

        Assert.Equal(["rl-3", "rl-5"], Left());
    }

    [Fact]
    public void ZeroKeepsEveryCheckpointAndANegativeCountIsRefused()
    {
        Make("rl-1", "rl-2", "rl-3");
        Assert.Empty(CheckpointRetention.Prune(_checkpoints, keep: 0));
        Assert.Equal(3, Left().Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => CheckpointRetention.Prune(_checkpoints, keep: -1));
    }
}

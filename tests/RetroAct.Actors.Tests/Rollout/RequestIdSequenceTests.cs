using RetroAct.Actors.Rollout;

namespace RetroAct.Actors.Tests.Rollout;

public sealed class RequestIdSequenceTests
{
    [Fact]
    public void Ids_are_distinct_within_a_worker_and_between_workers()
    {
        var (first, second) = (new RequestIdSequence(), new RequestIdSequence());
        var ids = Enumerable.Range(0, 10_000).SelectMany(_ => new[] { first.Next(), second.Next() }).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, ids);
    }
}

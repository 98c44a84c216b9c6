using RetroAct.Actors.Inference;

namespace RetroAct.Actors.Tests.Inference;

public sealed class PolicyClientRosterTests
{
    [Fact]
    public void With_no_known_worker_the_batch_is_left_to_max_batch_and_max_wait()
    {
        var roster = new PolicyClientRoster<string>();
        Assert.False(roster.NobodyElseWillAsk(new HashSet<string> { "anyone" }));
    }

    [Fact]
    public void Nobody_else_will_ask_once_every_playing_worker_has_a_request_waiting()
    {
        var roster = new PolicyClientRoster<string>();
        foreach (var worker in new[] { "w0", "w1", "w2" }) roster.Status(worker, mayAsk: false);
        Assert.False(roster.NobodyElseWillAsk(new HashSet<string>())); // nothing waits: nothing to flush

        roster.Asked("w0");
        roster.Asked("w1");
        Assert.False(roster.NobodyElseWillAsk(new HashSet<string> { "w0" }));      // w1 plays and will ask
        Assert.True(roster.NobodyElseWillAsk(new HashSet<string> { "w0", "w1" })); // w2 is idle

        roster.Status("w1", mayAsk: false);
        Assert.True(roster.NobodyElseWillAsk(new HashSet<string> { "w0" }));
        roster.Remove("w0");
        Assert.False(roster.Knows("w0"));
        Assert.Equal(2, roster.Count);
    }

    [Fact]
    public void A_worker_said_to_be_playing_is_waited_for_before_it_has_asked()
    {
        var roster = new PolicyClientRoster<string>();
        roster.Status("w0", mayAsk: true); // started, its lease on the way
        roster.Status("w1", mayAsk: false);
        roster.Asked("w1");
        Assert.False(roster.NobodyElseWillAsk(new HashSet<string> { "w1" }));
        roster.Status("w0", mayAsk: false); // its lease request was parked
        Assert.True(roster.NobodyElseWillAsk(new HashSet<string> { "w1" }));
    }

    [Fact]
    public void A_request_from_an_unknown_client_does_not_make_it_a_worker()
    {
        var roster = new PolicyClientRoster<string>();
        roster.Status("w0", mayAsk: false);
        roster.Asked("benchmark client");
        Assert.False(roster.Knows("benchmark client"));
        Assert.True(roster.NobodyElseWillAsk(new HashSet<string> { "benchmark client" })); // w0 is idle: it would wait for nobody
    }
}

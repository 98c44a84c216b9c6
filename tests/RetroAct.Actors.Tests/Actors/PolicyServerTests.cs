using Akka.Actor;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Actors;

public sealed class PolicyServerTests : TestKit
{
    // Generous: the test machine is shared, and a busy thread pool can be slow to run an actor.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public void Requests_from_several_workers_share_one_generation_and_each_gets_its_answer()
    {
        var backend = new RecordingBackend(version: 3);
        var store = CreateTestProbe();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, store, ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 4, MaxWait = TimeSpan.FromSeconds(60) }));
        var workers = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToList();
        var ids = workers.Select(_ => Guid.NewGuid()).ToList();

        for (int i = 0; i < workers.Count; i++)
            server.Tell(new GenerateRequest(ids[i], i % 2 == 0 ? PolicyRole.Planner : PolicyRole.Reflector, $"prompt {i}"), workers[i]);

        for (int i = 0; i < workers.Count; i++)
        {
            var response = workers[i].ExpectMsg<GenerateResponse>(TimeSpan.FromSeconds(10)); // long before MaxWait: the full batch went at once
            Assert.Equal(ids[i], response.RequestId);
            Assert.Equal(3, response.PolicyVersion);
            Assert.Equal([-0.5f, -0.25f], response.BehaviourLogProbs);
        }
        Assert.Equal([4], backend.BatchSizes);
    }

    [Fact]
    public void A_worker_of_several_environments_gets_the_answers_of_its_grouped_requests_in_one_message()
    {
        var backend = new RecordingBackend(version: 5);
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 4, MaxWait = TimeSpan.FromSeconds(60) }));
        var grouped = CreateTestProbe();
        var single = CreateTestProbe();
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        server.Tell(new GenerateRequests([.. ids.Select(id => new GenerateRequest(id, PolicyRole.Planner, "prompt", ["look", $"go to shelf {id}"]))]), grouped);
        var alone = Guid.NewGuid();
        server.Tell(new GenerateRequest(alone, PolicyRole.Reflector, "prompt"), single);

        var answers = grouped.ExpectMsg<GenerateResponses>(Patience); // long before MaxWait: 3 + 1 filled the batch
        Assert.Equal(ids, answers.Answers.Select(a => a.RequestId));
        Assert.All(answers.Answers, a => Assert.Equal(5, a.PolicyVersion));
        Assert.Empty(answers.Failures);
        Assert.Equal(alone, single.ExpectMsg<GenerateResponse>(Patience).RequestId);
        grouped.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal([4], backend.BatchSizes);
        // Each request's admissible commands reach the backend (admissible sampling constrains to them).
        Assert.Equal(ids.Select(id => $"go to shelf {id}"), backend.Requests.Take(3).Select(r => r.Admissible![1]));
        Assert.Null(backend.Requests[3].Admissible);
    }

    [Fact]
    public void Grouped_requests_beyond_the_max_batch_are_answered_by_the_next_batch()
    {
        var backend = new RecordingBackend();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 2, MaxWait = TimeSpan.FromMilliseconds(100) }));
        var worker = CreateTestProbe();
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        server.Tell(new GenerateRequests([.. ids.Select(id => new GenerateRequest(id, PolicyRole.Planner, "prompt"))]), worker);

        var answered = worker.ExpectMsg<GenerateResponses>(Patience).Answers.Concat(worker.ExpectMsg<GenerateResponses>(Patience).Answers);
        Assert.Equal(ids, answered.Select(a => a.RequestId));
        Assert.Equal([2, 1], backend.BatchSizes);
    }

    [Fact]
    public void Its_metrics_count_batches_answers_and_generated_tokens()
    {
        var backend = new RecordingBackend(); // two tokens per answer
        var metrics = CreateTestProbe();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), metrics,
            new PolicyServerOptions { MaxBatch = 3, MaxWait = TimeSpan.FromSeconds(60) }, reportEvery: TimeSpan.FromMilliseconds(100)));
        var worker = CreateTestProbe();
        for (int i = 0; i < 3; i++) server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, $"prompt {i}"), worker);
        for (int i = 0; i < 3; i++) worker.ExpectMsg<GenerateResponse>(Patience);

        var report = metrics.FishForMessage<MetricsReport>(r => r.Values["answered"] == 3, Patience);
        Assert.Equal("policy-server", report.Source);
        Assert.Equal(1, report.Values["batches"]);
        Assert.Equal(6, report.Values["generated_tokens"]);
        Assert.True(report.Values["generation_seconds"] >= 0);
    }

    [Fact]
    public void A_partial_batch_goes_after_the_max_wait()
    {
        var backend = new RecordingBackend();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 8, MaxWait = TimeSpan.FromMilliseconds(100) }));
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "a"));
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "b"));
        ExpectMsg<GenerateResponse>(Patience);
        ExpectMsg<GenerateResponse>(Patience);
        Assert.Equal([2], backend.BatchSizes);
    }

    [Fact]
    public void A_corrupted_chunk_fails_the_checksum_and_the_version_is_pulled_again()
    {
        var backend = new RecordingBackend(version: 0);
        var store = CreateTestProbe();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, store, ActorRefs.Nobody, new PolicyServerOptions { PullWindow = 8 }));
        store.ExpectMsg<WeightsVersionQuery>(q => q.NewerThan == 0, Patience);

        var blob = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();
        var chunker = new WeightChunker(1, loraOnly: false, blob, chunkBytes: 64 * 1024); // 4 chunks
        server.Tell(chunker.Announcement, store); // as the weights topic delivers it: from the WeightStore that published it

        var pull = store.ExpectMsg<WeightChunkRequest>(Patience);
        Assert.Equal((1L, 0, 4), (pull.Version, pull.FirstIndex, pull.Count));
        foreach (var chunk in chunker.Serve(pull))
        {
            var sent = chunk;
            if (chunk.Index == 2)
            {
                var damaged = chunk.Bytes.ToArray();
                damaged[100] ^= 0xFF;
                sent = new WeightChunk(chunk.Version, chunk.Index, chunk.Count, damaged);
            }
            server.Tell(sent, store);
        }

        // The checksum failed: nothing was loaded and the whole version is asked for again.
        var again = store.ExpectMsg<WeightChunkRequest>(Patience);
        Assert.Equal((1L, 0, 4), (again.Version, again.FirstIndex, again.Count));
        Assert.Empty(backend.Loads);
        foreach (var chunk in chunker.Serve(again)) server.Tell(chunk, store);

        AwaitAssert(() => Assert.Single(backend.Loads));
        Assert.Equal(1, backend.Loads[0].Version);
        Assert.Equal(blob, backend.Loads[0].Blob);
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "after the swap"));
        Assert.Equal(1, ExpectMsg<GenerateResponse>(Patience).PolicyVersion);
    }

    [Fact]
    public void A_request_goes_at_once_when_the_other_workers_have_no_episode()
    {
        var backend = new RecordingBackend();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 4, MaxWait = TimeSpan.FromSeconds(60) }));
        var workers = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToList();
        foreach (var worker in workers) server.Tell(PolicyClientStatus.Idle, worker); // the node's workers, none playing yet

        // One starts an episode and asks; the other three are idle: nobody will join its batch, so no max wait.
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "a"), workers[0]);
        workers[0].ExpectMsg<GenerateResponse>(Patience);
        Assert.Equal([1], backend.BatchSizes);
    }

    [Fact]
    public void A_batch_waits_for_a_playing_worker_until_it_asks_or_turns_idle()
    {
        var backend = new RecordingBackend();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 4, MaxWait = TimeSpan.FromSeconds(60) }));
        var (first, second) = (CreateTestProbe(), CreateTestProbe());
        server.Tell(PolicyClientStatus.Idle, first);
        server.Tell(PolicyClientStatus.Idle, second);
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "a"), first);
        first.ExpectMsg<GenerateResponse>(Patience); // the second was idle

        // The first plays on (stepping its environment); the second's request waits for it ...
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "b"), second);
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        // ... and both go together when it asks.
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "c"), first);
        first.ExpectMsg<GenerateResponse>(Patience);
        second.ExpectMsg<GenerateResponse>(Patience);

        // Both play on; only the first asks, then the second's episode ends with no lease waiting: it goes idle.
        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "d"), first);
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        server.Tell(PolicyClientStatus.Idle, second);
        first.ExpectMsg<GenerateResponse>(Patience);
        Assert.Equal([1, 2, 1], backend.BatchSizes);
    }

    [Fact]
    public void A_stopped_worker_is_not_waited_for()
    {
        var backend = new RecordingBackend();
        var server = Sys.ActorOf(PolicyServer.Props(() => backend, CreateTestProbe(), ActorRefs.Nobody,
            new PolicyServerOptions { MaxBatch = 4, MaxWait = TimeSpan.FromSeconds(60) }));
        var playing = CreateTestProbe();
        var stopping = Sys.ActorOf(Props.Create(() => new ForwardingActor(server)));
        server.Tell(PolicyClientStatus.Idle, playing);
        stopping.Tell(PolicyClientStatus.Idle);
        stopping.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "its only request")); // playing now
        AwaitAssert(() => Assert.Equal([1], backend.BatchSizes)); // it was alone: answered at once

        server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, "a"), playing);
        playing.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the other worker is still playing
        Sys.Stop(stopping);
        playing.ExpectMsg<GenerateResponse>(Patience);
        Assert.Equal([1, 1], backend.BatchSizes);
    }

    /// <summary>Sends everything it is told to <paramref name="target"/> as itself (a worker that can be stopped).</summary>
    private sealed class ForwardingActor : ReceiveActor
    {
        public ForwardingActor(IActorRef target) => ReceiveAny(m =>
        {
            if (m is not GenerateResponse) target.Tell(m, Self);
        });
    }
}

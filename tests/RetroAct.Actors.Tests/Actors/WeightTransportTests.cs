using Akka.Actor;
using Akka.TestKit.Xunit2;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Weights;
using RetroAct.Learner.Policy;
using RetroAct.Model;
using RetroAct.Model.Tokenizers.Compact;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Tests.Actors;

/// <summary>The real weight path: learner models → blob → WeightStore chunks → PolicyServer pull → its own model copy.</summary>
public sealed class WeightTransportTests : TestKit
{
    [Fact]
    public void A_policy_server_pulls_the_learners_weights_and_then_generates_exactly_what_the_learner_would()
    {
        var tokenizer = CompactTokenizerTrainer.Train(["go to desk 1", "open drawer 2", "take mug from desk 1", "You see a desk."],
            new CompactTrainerOptions(VocabSize: 300));
        var config = LlamaConfig.Preset("1m") with
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 128,
        };
        var sampling = new SamplingSettings(Temperature: 0, PlannerMaxTokens: 8, ReflectorMaxTokens: 8);
        using var learnerModels = AgentModels.Create(config, RoleSharing.TwoModels, seed: 1);
        learnerModels.Version = 1;
        var prompt = new GenerationRequest(AgentRole.Planner, "You see a desk.\n> ");
        string learnerText = new ModelPolicy(learnerModels, tokenizer, sampling).Generate([prompt])[0].Text;

        var store = Sys.ActorOf(WeightStore.Props(chunkBytes: 16 * 1024)); // several chunks even for this tiny model
        // The server starts from other weights (another seed), as a node that joined before the first update would.
        var server = Sys.ActorOf(PolicyServer.Props(
            () => new ModelPolicyBackend(AgentModels.Create(config, RoleSharing.TwoModels, seed: 99), tokenizer, sampling),
            store, ActorRefs.Nobody, new PolicyServerOptions { MaxBatch = 1, PullWindow = 4 }));

        store.Tell(new PublishWeights(1, LoraOnly: false, AgentWeightsBlob.Serialize(learnerModels)));
        var announcement = ExpectMsg<WeightsPublished>().Announcement;
        Assert.True(announcement.ChunkCount > 4, $"{announcement.ChunkCount} chunks: the pull should need several windows");

        AwaitAssert(() =>
        {
            server.Tell(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, prompt.Prompt));
            var answer = ExpectMsg<GenerateResponse>();
            Assert.Equal(1, answer.PolicyVersion);
            Assert.Equal(learnerText, answer.Text);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_store_tells_every_version_to_each_server_that_asked_even_without_the_topic_until_the_server_stops()
    {
        var store = Sys.ActorOf(WeightStore.Props());
        var server = CreateTestProbe(); // a policy server whose topic subscription has not reached the store's node yet
        store.Tell(new WeightsVersionQuery(0), server);
        server.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing published yet

        store.Tell(new PublishWeights(1, LoraOnly: false, [1, 2, 3]));
        ExpectMsg<WeightsPublished>();
        var announcement = server.ExpectMsg<WeightsVersionReady>();
        Assert.Equal(1, announcement.Version);
        Assert.Equal(store, server.LastSender); // pulled from the store itself

        store.Tell(new PublishWeights(2, LoraOnly: false, [4, 5, 6]));
        ExpectMsg<WeightsPublished>();
        Assert.Equal(2, server.ExpectMsg<WeightsVersionReady>().Version);

        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(Akka.Event.DeadLetter));
        Watch(server.Ref);
        Sys.Stop(server.Ref);
        ExpectTerminated(server.Ref);
        AwaitAssert(() =>
        {
            // A stopped server is forgotten: the next version is no dead letter addressed to it.
            store.Tell(new PublishWeights(3, LoraOnly: false, [7, 8, 9]));
            ExpectMsg<WeightsPublished>();
            deadLetters.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }, TimeSpan.FromSeconds(5));
    }
}

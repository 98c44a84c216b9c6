using System.Diagnostics;
using Akka.Actor;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Inference;
using RetroAct.Actors.Protocol;
using RetroAct.Model;

namespace RetroAct.Actors.Benchmarks;

/// <summary>Settings of <see cref="PolicyServerBatchingBenchmark"/>.</summary>
/// <param name="Preset">The <see cref="LlamaConfig.Preset"/> served.</param>
/// <param name="Clients">Concurrent requesters (episodes): each sends its next request when the previous is answered.</param>
/// <param name="RequestsPerClient">Sequential requests of each client (turns of an episode).</param>
/// <param name="PromptChars">Prompt length (one token per character).</param>
/// <param name="NewTokens">Tokens generated per request (exactly: no stop string).</param>
/// <param name="MaxWait">The batched server's max wait.</param>
/// <param name="Rounds">Rounds of (batched, alone), each on fresh servers; the gain is their median.</param>
public sealed record BatchingSettings(string Preset, int Clients, int RequestsPerClient, int PromptChars, int NewTokens, TimeSpan MaxWait, int Rounds = 1);

/// <summary>Tokens and seconds of one configuration.</summary>
/// <param name="MeanBatch">Requests per generation call in the timed part: how full the dynamic batches were.</param>
public sealed record GenerationRun(int MaxBatch, long Requests, long Tokens, double Seconds, double MeanBatch)
{
    public double TokensPerSecond => Tokens / Seconds;
}

/// <summary>One round: the batched run, then the batch-1 run.</summary>
public sealed record BatchingRound(GenerationRun Batched, GenerationRun Alone)
{
    /// <summary>Batched tokens/s ÷ batch-1 tokens/s.</summary>
    public double Gain => Batched.TokensPerSecond / Alone.TokensPerSecond;
}

/// <summary>Every round; the reported runs and gain are the median round's.</summary>
public sealed record BatchingResult(BatchingSettings Settings, long Parameters, IReadOnlyList<BatchingRound> Rounds)
{
    /// <summary>The round with the median gain (of an even count, the lower middle one).</summary>
    public BatchingRound Median => Rounds.OrderBy(r => r.Gain).ElementAt((Rounds.Count - 1) / 2);

    /// <summary>Batched tokens/s ÷ batch-1 tokens/s, of the median round.</summary>
    public double Gain => Median.Gain;

    public GenerationRun Batched => Median.Batched;

    public GenerationRun Alone => Median.Alone;
}

/// <summary>
/// What dynamic batching buys: <see cref="BatchingSettings.Clients"/> concurrent requesters send their requests to
/// ONE real <see cref="PolicyServer"/> (a real model, KV cache), first with max batch = clients, then with max batch 1.
/// The baseline is the same server, the same requesters and the same requests, answered one at a time in arrival
/// order — each generation alone at batch 1, the clients taking turns — so the actor path costs both runs the same
/// and the ratio isolates batching. (Eight servers with max batch 1 would compete for the same two cores and add
/// eight model copies; the single server is the fair batch-1 baseline on this machine.)
/// </summary>
public static class PolicyServerBatchingBenchmark
{
    public static BatchingResult Run(BatchingSettings settings, Action<string> progress)
    {
        if (settings.Clients < 1 || settings.RequestsPerClient < 1 || settings.NewTokens < 1 || settings.PromptChars < 1 || settings.Rounds < 1)
            throw new ArgumentException($"batching benchmark settings must be positive: {settings}");
        var config = LlamaConfig.Preset(settings.Preset);
        var system = BenchmarkActorSystems.Local("bench-batching");
        try
        {
            // Each round's batched run goes first: warm-up the explicit warm-up misses would slow it, so the gain is not
            // flattered. One batched run lasts about a second, so one round swung 2.3–3.7 between runs of one build.
            var rounds = new List<BatchingRound>();
            for (int round = 1; round <= settings.Rounds; round++)
            {
                var batched = Measure(system, config, settings, maxBatch: settings.Clients, round);
                progress($"round {round}/{settings.Rounds}: policy server, max batch {settings.Clients}: {batched.Tokens} tokens in {batched.Seconds:F2} s = {batched.TokensPerSecond:F0} tok/s");
                var alone = Measure(system, config, settings, maxBatch: 1, round);
                rounds.Add(new BatchingRound(batched, alone));
                progress($"round {round}/{settings.Rounds}: policy server, max batch 1: {alone.Tokens} tokens in {alone.Seconds:F2} s = {alone.TokensPerSecond:F0} tok/s (gain {rounds[^1].Gain:F2})");
            }
            return new BatchingResult(settings, config.ParameterCount, rounds);
        }
        finally
        {
            BenchmarkActorSystems.TerminateAll(system);
        }
    }

    private static GenerationRun Measure(ActorSystem system, LlamaConfig config, BatchingSettings settings, int maxBatch, int round)
    {
        var options = new PolicyServerOptions { MaxBatch = maxBatch, MaxWait = settings.MaxWait };
        FixedLengthModelBackend? backend = null;
        var server = system.ActorOf(PolicyServer.Props(() => backend = new FixedLengthModelBackend(config, settings.NewTokens, seed: 7),
            ActorRefs.Nobody, ActorRefs.Nobody, options).WithDispatcher(ComputeDispatcher.Id), $"policy-server-batch-{maxBatch}-round-{round}");
        try
        {
            RunClients(server, settings, requestsPerClient: 1); // warm-up: model built, first passes, JIT
            var (batchesBefore, requestsBefore) = (backend!.Batches, backend.Requests);
            var clock = Stopwatch.StartNew();
            long tokens = RunClients(server, settings, settings.RequestsPerClient);
            double seconds = clock.Elapsed.TotalSeconds;
            double meanBatch = (double)(backend.Requests - requestsBefore) / (backend.Batches - batchesBefore);
            return new GenerationRun(maxBatch, (long)settings.Clients * settings.RequestsPerClient, tokens, seconds, meanBatch);
        }
        finally
        {
            system.Stop(server);
        }
    }

    /// <summary>Every client asks, waits for its answer, asks again; returns the tokens generated for them all.</summary>
    private static long RunClients(IActorRef server, BatchingSettings settings, int requestsPerClient)
    {
        async Task<long> Client(int id)
        {
            long tokens = 0;
            for (int r = 0; r < requestsPerClient; r++)
            {
                string prompt = string.Concat(Enumerable.Range(0, settings.PromptChars).Select(i => (char)('a' + (id * 7 + r * 3 + i) % 26)));
                var answer = await server.Ask<object>(new GenerateRequest(Guid.NewGuid(), PolicyRole.Planner, prompt), TimeSpan.FromMinutes(5));
                tokens += answer switch
                {
                    GenerateResponse response => response.TokenIds.Length,
                    GenerateFailed failed => throw new InvalidOperationException($"generation failed: {failed.Reason}"),
                    _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}"),
                };
            }
            return tokens;
        }
        return Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(Client)).GetAwaiter().GetResult().Sum();
    }
}

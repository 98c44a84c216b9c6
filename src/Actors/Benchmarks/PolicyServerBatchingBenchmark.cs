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
public sealed record BatchingSettings(string Preset, int Clients, int RequestsPerClient, int PromptChars, int NewTokens, TimeSpan MaxWait);

/// <summary>Tokens and seconds of one configuration.</summary>
/// <param name="MeanBatch">Requests per generation call in the timed part: how full the dynamic batches were.</param>
public sealed record GenerationRun(int MaxBatch, long Requests, long Tokens, double Seconds, double MeanBatch)
{
    public double TokensPerSecond => Tokens / Seconds;
}

/// <summary>Both runs and the gain.</summary>
public sealed record BatchingResult(BatchingSettings Settings, long Parameters, GenerationRun Batched, GenerationRun Alone)
{
    /// <summary>Batched tokens/s ÷ batch-1 tokens/s.</summary>
    public double Gain => Batched.TokensPerSecond / Alone.TokensPerSecond;
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
        if (settings.Clients < 1 || settings.RequestsPerClient < 1 || settings.NewTokens < 1 || settings.PromptChars < 1)
            throw new ArgumentException($"batching benchmark settings must be positive: {settings}");
        var config = LlamaConfig.Preset(settings.Preset);
        var system = BenchmarkActorSystems.Local("bench-batching");
        try
        {
            // The batched run goes first: warm-up the explicit warm-up misses would slow it, so the gain is not flattered.
            var batched = Measure(system, config, settings, maxBatch: settings.Clients);
            progress($"policy server, max batch {settings.Clients}: {batched.Tokens} tokens in {batched.Seconds:F2} s = {batched.TokensPerSecond:F0} tok/s");
            var alone = Measure(system, config, settings, maxBatch: 1);
            progress($"policy server, max batch 1: {alone.Tokens} tokens in {alone.Seconds:F2} s = {alone.TokensPerSecond:F0} tok/s");
            return new BatchingResult(settings, config.ParameterCount, batched, alone);
        }
        finally
        {
            BenchmarkActorSystems.TerminateAll(system);
        }
    }

    private static GenerationRun Measure(ActorSystem system, LlamaConfig config, BatchingSettings settings, int maxBatch)
    {
        var options = new PolicyServerOptions { MaxBatch = maxBatch, MaxWait = settings.MaxWait };
        FixedLengthModelBackend? backend = null;
        var server = system.ActorOf(PolicyServer.Props(() => backend = new FixedLengthModelBackend(config, settings.NewTokens, seed: 7),
            ActorRefs.Nobody, ActorRefs.Nobody, options).WithDispatcher(ComputeDispatcher.Id), $"policy-server-batch-{maxBatch}");
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

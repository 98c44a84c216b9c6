using System.Text.Json;
using Xunit.Abstractions;

namespace RetroAct.Cli.Tests;

/// <summary>
/// Runs <c>bench cluster --json --quick</c> for real (a PolicyServer with a 1m model, rollout actors, three actor
/// systems over Akka.Remote, a replay log on disk): the report's shape and the checksum, never the targets —
/// performance is measured, not unit-tested.
/// </summary>
[Collection("Console")]
public class BenchClusterCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void QuickJsonReportHasEveryMeasureAndBothReceiversVerifiedTheWeights()
    {
        var (code, stdout, stderr) = EnvReplayCommandTests.Invoke(["bench", "cluster", "--json", "--quick"]);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        foreach (var field in new[] { "policy_server_batching_gain", "actor_overhead_ratio", "weight_broadcast_vs_raw_tcp", "trajectory_messages_per_second" })
            AssertPositiveFinite(root.GetProperty(field), field);
        foreach (var (section, field) in new[]
                 {
                     ("batching", "batched_tokens_per_second"), ("batching", "alone_tokens_per_second"), ("batching", "batched_seconds"), ("batching", "alone_seconds"),
                     ("actor_overhead", "actor_steps_per_second"), ("actor_overhead", "serial_steps_per_second"),
                     ("weight_broadcast", "seconds"), ("weight_broadcast", "grpc_seconds"), ("weight_broadcast", "akka_seconds"), ("weight_broadcast", "raw_tcp_seconds"),
                     ("weight_broadcast", "bytes"), ("weight_broadcast", "akka_chunked_vs_raw_tcp"), ("weight_broadcast", "lora_adapters_seconds"),
                     ("weight_broadcast", "lora_adapters_bytes"),
                     ("replay_ingest", "seconds"), ("replay_ingest", "trajectories_per_second"),
                 })
            AssertPositiveFinite(root.GetProperty(section).GetProperty(field), $"{section}.{field}");

        var batching = root.GetProperty("batching");
        Assert.Equal(batching.GetProperty("batched_tokens").GetInt64(), batching.GetProperty("alone_tokens").GetInt64());
        var overhead = root.GetProperty("actor_overhead");
        Assert.Equal(overhead.GetProperty("serial_steps").GetInt64(), overhead.GetProperty("actor_steps").GetInt64()); // the same episodes
        Assert.Equal(batching.GetProperty("batched_tokens_per_second").GetDouble() / batching.GetProperty("alone_tokens_per_second").GetDouble(),
            root.GetProperty("policy_server_batching_gain").GetDouble(), 9);
        Assert.Single(batching.GetProperty("rounds").EnumerateArray()); // --quick: one round
        foreach (var round in overhead.GetProperty("rounds").EnumerateArray())
            foreach (var path in new[] { "actor", "serial" })
            {
                // Every step of either path allocates (prompts, observations); the GC counters are the process's.
                AssertPositiveFinite(round.GetProperty($"{path}_bytes_per_step"), $"{path}_bytes_per_step");
                Assert.True(round.GetProperty($"{path}_gc").GetProperty("allocated_bytes").GetInt64() > 0);
                Assert.True(round.GetProperty($"{path}_gc").GetProperty("pause_seconds").GetDouble() >= 0);
            }
        Assert.Equal("compute", overhead.GetProperty("worker_threads").GetString()); // the runtime's default placement
        var weights = root.GetProperty("weight_broadcast");
        Assert.Equal(2, weights.GetProperty("receivers").GetInt32());
        Assert.Equal(2, weights.GetProperty("receivers_checksum_verified").GetInt32());
        // The headline ratio measures the default transport, and both receivers really got it through the stream.
        Assert.Equal("tcp", weights.GetProperty("transport").GetString());
        Assert.Equal(2, weights.GetProperty("receivers_streamed").GetInt32());
        Assert.Equal(2, weights.GetProperty("grpc_receivers_streamed").GetInt32());
        // The adapters-only version of the same base is a small fraction of the full one.
        Assert.True(weights.GetProperty("lora_adapters_bytes").GetInt64() * 10 < weights.GetProperty("bytes").GetInt64());
        Assert.Equal(root.GetProperty("weight_broadcast_vs_raw_tcp").GetDouble(),
            weights.GetProperty("seconds").GetDouble() / weights.GetProperty("raw_tcp_seconds").GetDouble(), 9);
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.True(root.GetProperty("torch_threads").GetInt32() >= 1);
        Assert.Contains(root.GetProperty("configuration").GetString(), new[] { "Debug", "Release" });
        Assert.Equal("retroact bench cluster --json --quick", root.GetProperty("command").GetString());
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var (code, _, error) = EnvReplayCommandTests.Invoke(["bench", "cluster", "--frobnicate"]);
        Assert.NotEqual(0, code);
        Assert.Contains("--frobnicate", error, StringComparison.Ordinal);

        (code, _, error) = EnvReplayCommandTests.Invoke(["bench", "cluster", "--quick", "--pull-window", "0"]);
        Assert.Equal(2, code);
        Assert.Contains("--pull-window 0: allowed: 1..32", error, StringComparison.Ordinal);

        (code, _, error) = EnvReplayCommandTests.Invoke(["bench", "cluster", "--quick", "--worker-threads", "many"]);
        Assert.Equal(2, code);
        Assert.Contains("--worker-threads 'many': allowed: compute, pool", error, StringComparison.Ordinal);
    }

    private static void AssertPositiveFinite(JsonElement value, string name)
    {
        double x = value.GetDouble();
        Assert.True(double.IsFinite(x) && x > 0, $"{name} = {x}");
    }
}

using System.Diagnostics;
using Akka.Actor;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Replay;
using RetroAct.Actors.Serialization;
using RetroAct.Core.Trajectories;

namespace RetroAct.Actors.Benchmarks;

/// <summary>Trajectories acknowledged, their size and the seconds it took.</summary>
public sealed record ReplayIngestResult(int Trajectories, int InFlight, int BytesPerTrajectory, int MessagesPerTrajectory, double Seconds)
{
    /// <summary>Acknowledged trajectory messages per second.</summary>
    public double MessagesPerSecond => (double)Trajectories * MessagesPerTrajectory / Seconds;

    public double TrajectoriesPerSecond => Trajectories / Seconds;
}

/// <summary>
/// Ingest rate of the real <see cref="ReplayBuffer"/> actor with its write-ahead log on disk: a sender keeps
/// <c>inFlight</c> trajectories (copies of one real episode under fresh ids, as many workers would) unacknowledged
/// at a time, and each ack — sent only after the durable append (fsync) — releases the next. In one process, so the
/// rate is the buffer's (log writes, de-duplication, bookkeeping), not the network's.
/// </summary>
public static class ReplayIngestBenchmark
{
    private sealed record Start(IActorRef Replay, int Total, int InFlight, TaskCompletionSource<int> Done);

    /// <summary>Sends trajectory messages and counts acks; fails the run on a rejection.</summary>
    private sealed class Pump : ReceiveActor
    {
        private readonly Episode _episode;
        private Start _start = null!;
        private int _sent, _acked;

        public Pump(Episode episode)
        {
            _episode = episode;
            Receive<Start>(start =>
            {
                _start = start;
                for (int i = 0; i < Math.Min(start.InFlight, start.Total); i++) SendNext();
            });
            Receive<TrajectoryAck>(_ =>
            {
                if (++_acked == _start.Total) _start.Done.TrySetResult(_acked);
                else if (_sent < _start.Total) SendNext();
            });
            Receive<TrajectoryRejected>(r => _start.Done.TrySetException(new InvalidOperationException($"trajectory rejected: {r.Reason}")));
        }

        private void SendNext()
        {
            _sent++;
            foreach (var message in TrajectorySplitter.ForTransport(TrajectoryBatch.Create(Guid.NewGuid(), _episode))) _start.Replay.Tell(message);
        }
    }

    public static ReplayIngestResult Run(Episode episode, int trajectories, int inFlight, int warmUp, string walDirectory)
    {
        if (trajectories < 1 || inFlight < 1 || warmUp < 0)
            throw new ArgumentException($"replay ingest benchmark: trajectories ≥ 1, in flight ≥ 1, warm-up ≥ 0 (got {trajectories}, {inFlight}, {warmUp})");
        var sample = TrajectoryBatch.Create(Guid.NewGuid(), episode);
        int bytes = MessagePack.MessagePackSerializer.Serialize(sample, ClusterMessageCodec.Options).Length;
        int messages = TrajectorySplitter.ForTransport(sample).Count;
        var system = BenchmarkActorSystems.Local("bench-replay");
        try
        {
            var options = new ReplayStoreOptions { WalPath = Path.Combine(walDirectory, "ingest-replay.wal"), Capacity = trajectories + warmUp + 1 };
            var replay = system.ActorOf(ReplayBuffer.Props(options, ActorRefs.Nobody, TimeSpan.Zero), "replay");
            if (warmUp > 0) Send(system, replay, episode, warmUp, inFlight);
            var clock = Stopwatch.StartNew();
            Send(system, replay, episode, trajectories, inFlight);
            return new ReplayIngestResult(trajectories, inFlight, bytes, messages, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            BenchmarkActorSystems.TerminateAll(system);
        }
    }

    private static void Send(ActorSystem system, IActorRef replay, Episode episode, int total, int inFlight)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = system.ActorOf(Props.Create(() => new Pump(episode)));
        pump.Tell(new Start(replay, total, inFlight, done));
        if (!done.Task.Wait(TimeSpan.FromMinutes(10))) throw new TimeoutException($"the replay buffer did not acknowledge {total} trajectories within 10 min");
        system.Stop(pump);
    }
}

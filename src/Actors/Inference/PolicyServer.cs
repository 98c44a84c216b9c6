using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using RetroAct.Actors.Journals;
using RetroAct.Actors.Protocol;
using RetroAct.Actors.Weights;
using RetroAct.Rollout;
using RetroAct.Rollout.Agents;

namespace RetroAct.Actors.Inference;

/// <summary>
/// One per node: answers the node's workers' <see cref="GenerateRequest"/>s with dynamic batching (a batch goes
/// when <see cref="PolicyServerOptions.MaxBatch"/> requests wait, when every worker still playing has asked — workers
/// with nothing to play say so with <see cref="PolicyClientStatus"/> — or when the first has waited
/// <see cref="PolicyServerOptions.MaxWait"/>), one generation call per batch. A worker playing several episodes sends
/// their requests as one <see cref="GenerateRequests"/> and gets the answers of each batch in one
/// <see cref="GenerateResponses"/>; each request carries its turn's admissible commands for admissible sampling. On a "version N ready" announcement it
/// pulls the version — streamed from the learner node's weight server (plain socket or gRPC) when the announcement
/// names one and the transport is not Akka (off the actor thread, by a <see cref="WeightPuller"/>; the verified blob comes back as
/// a message), else, and whenever the stream fails or its checksum is wrong (one warning naming the endpoint and the
/// error), as chunks from the WeightStore a window at a time — verifies the checksum, and swaps its weights;
/// the actor handles one message at a time, so a swap always falls between two batches. A bad checksum is logged
/// and the version pulled again. A version announced during a pull waits until that pull is done (then the newest
/// waiting one is pulled), except one from a new learner epoch, which replaces it. Each installed version is written to the node's <see cref="IRolloutJournal"/> with its
/// checksum. Versions are ordered by (learner epoch, version): a resumed learner's epoch is higher, so its weights
/// replace any version the crashed incarnation published after its last checkpoint.
/// </summary>
public sealed class PolicyServer : ReceiveActor, IWithTimers
{
    private sealed record FlushTick
    {
        public static readonly FlushTick Instance = new();
    }

    private sealed record PullTimeout(long Version);

    // The outcome of a streamed pull (socket or gRPC), piped back to the actor.
    private sealed record StreamedWeights(WeightsVersionReady Announcement, byte[] Blob);

    private sealed record StreamFailed(WeightsVersionReady Announcement, Exception Error);

    private sealed record ReportTick
    {
        public static readonly ReportTick Instance = new();
    }

    private const string FlushTimer = "flush", PullTimer = "pull";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IPolicyBackend _backend;
    private readonly IActorRef _weightStore;
    private readonly IActorRef _metrics;
    private readonly PolicyServerOptions _options;
    private readonly IRolloutJournal _journal;
    // Grouped: the request came in a GenerateRequests, so its answer goes back in one GenerateResponses per batch.
    private readonly List<(GenerateRequest Request, IActorRef ReplyTo, bool Grouped)> _waiting = [];
    private readonly HashSet<IActorRef> _waitingClients = [];
    private readonly PolicyClientRoster<IActorRef> _workers = new();
    private readonly HashSet<int> _requestedChunks = [];
    private readonly WeightPuller _streams = new();
    private WeightsVersionReady? _pulling; // the version being pulled, over either transport
    private WeightAssembler? _pull; // the chunked pull's assembler (null while the version streams)
    private CancellationTokenSource? _stream; // cancels the streamed pull under way
    private WeightsVersionReady? _next; // the newest version announced while a pull was under way
    private IActorRef _nextFrom = ActorRefs.Nobody;
    private IActorRef _pullFrom = ActorRefs.Nobody;
    private long _batches, _answered, _swaps, _checksumFailures, _earlyFlushes, _streamed, _streamFallbacks;
    private long _generatedTokens;
    private double _generationSeconds; // inside the backend's Generate
    private long _epoch; // the learner epoch of the installed weights (0: the first learner, and the imitation checkpoint)

    /// <summary>
    /// <paramref name="createBackend"/> makes the server's own backend (disposed when the actor stops); a restarted
    /// server makes a fresh one and pulls the newest weights again.
    /// </summary>
    public PolicyServer(Func<IPolicyBackend> createBackend, IActorRef weightStore, IActorRef metrics, PolicyServerOptions options, TimeSpan reportEvery,
                        IRolloutJournal? journal = null)
    {
        (_weightStore, _metrics, _options, _journal) = (weightStore, metrics, options, journal ?? NoRolloutJournal.Instance);
        if (options.MaxBatch < 1) throw new ArgumentException($"PolicyServer MaxBatch = {options.MaxBatch}; allowed: ≥ 1");
        if (options.PullWindow is < 1 or > WeightChunkRequest.MaxCount)
            throw new ArgumentException($"PolicyServer PullWindow = {options.PullWindow}; allowed: 1..{WeightChunkRequest.MaxCount}");
        _backend = createBackend();

        Receive<GenerateRequest>(request => Enqueue([request], Sender, grouped: false));
        Receive<GenerateRequests>(requests =>
        {
            if (requests.Requests.Count > 0) Enqueue(requests.Requests, Sender, grouped: true);
        });
        Receive<FlushTick>(_ => Flush());
        Receive<PolicyClientStatus>(status =>
        {
            if (!_workers.Knows(Sender)) Context.Watch(Sender);
            _workers.Status(Sender, status.MayAsk);
            FlushIfNobodyElseWillAsk();
        });
        Receive<Terminated>(m =>
        {
            _workers.Remove(m.ActorRef);
            FlushIfNobodyElseWillAsk();
        });
        Receive<WeightsVersionReady>(StartPull);
        Receive<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(_ => { });
        Receive<WeightChunk>(TakeChunk);
        Receive<StreamedWeights>(m =>
        {
            if (!ReferenceEquals(m.Announcement, _pulling)) return; // a stream superseded by a new learner epoch
            _streamed++;
            Install(m.Announcement, m.Blob);
        });
        Receive<StreamFailed>(m =>
        {
            if (!ReferenceEquals(m.Announcement, _pulling)) return;
            _streamFallbacks++;
            if (m.Error is InvalidDataException) _checksumFailures++;
            _log.Warning("weight version {0}: the stream from {1} failed ({2}); falling back to the chunked Akka pull", m.Announcement.Version,
                m.Announcement.StreamUri, Describe(m.Error));
            EndStream();
            _pull = new WeightAssembler(m.Announcement, _streams.Rent(m.Announcement.TotalBytes));
            RequestMissing();
        });
        Receive<WeightsVersionUnavailable>(m =>
        {
            if (_pull?.Announcement.Version != m.Version) return;
            _log.Warning("weight version {0} unavailable ({1}); waiting for the next announcement", m.Version, m.Reason);
            EndPull();
        });
        Receive<PullTimeout>(m =>
        {
            if (_pull?.Announcement.Version != m.Version) return;
            _log.Warning("weight pull of version {0} stalled at {1}/{2} chunks; asking again", m.Version, _pull.Received, _pull.Announcement.ChunkCount);
            RequestMissing();
        });
        Receive<ReportTick>(_ => _metrics.Tell(new MetricsReport("policy-server", DateTimeOffset.UtcNow, new Dictionary<string, double>
        {
            ["policy_version"] = _backend.Version,
            ["weights_epoch"] = _epoch,
            ["batches"] = _batches,
            ["answered"] = _answered,
            ["mean_batch_fill"] = _batches == 0 ? 0 : (double)_answered / _batches / _options.MaxBatch,
            ["early_flushes"] = _earlyFlushes,
            ["generated_tokens"] = _generatedTokens,
            ["generation_seconds"] = _generationSeconds,
            ["weight_swaps"] = _swaps,
            ["checksum_failures"] = _checksumFailures,
            ["weights_streamed"] = _streamed,
            ["weight_stream_fallbacks"] = _streamFallbacks,
        })));
        if (reportEvery > TimeSpan.Zero) Timers!.StartPeriodicTimer("report", ReportTick.Instance, reportEvery);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The server's props; <paramref name="metrics"/> receives its counters every <paramref name="reportEvery"/> (zero: never).</summary>
    public static Props Props(Func<IPolicyBackend> createBackend, IActorRef weightStore, IActorRef metrics, PolicyServerOptions options,
                              TimeSpan reportEvery = default, IRolloutJournal? journal = null) =>
        Akka.Actor.Props.Create(() => new PolicyServer(createBackend, weightStore, metrics, options, reportEvery, journal));

    protected override void PreStart()
    {
        WeightsTopic.Subscribe(Context.System, Self);
        // A server that starts after an announcement (a late-joining node) asks for the newest version itself.
        _weightStore.Tell(new WeightsVersionQuery(_backend.Version));
    }

    protected override void PostStop()
    {
        foreach (var (request, replyTo, _) in _waiting) replyTo.Tell(new GenerateFailed(request.RequestId, "the policy server stopped"));
        EndStream();
        _streams.Dispose();
        _backend.Dispose();
    }

    private void Enqueue(IReadOnlyList<GenerateRequest> requests, IActorRef replyTo, bool grouped)
    {
        foreach (var request in requests) _waiting.Add((request, replyTo, grouped));
        _waitingClients.Add(replyTo);
        _workers.Asked(replyTo);
        if (_waiting.Count >= _options.MaxBatch) Flush(); // the rest, if any, follows at once (ContinueWithRest)
        else if (!FlushIfNobodyElseWillAsk() && !Timers.IsTimerActive(FlushTimer))
            Timers.StartSingleTimer(FlushTimer, FlushTick.Instance, _options.MaxWait);
    }

    /// <summary>Flushes at once when the batch cannot grow (every playing worker has asked); true when it did.</summary>
    private bool FlushIfNobodyElseWillAsk()
    {
        if (!_workers.NobodyElseWillAsk(_waitingClients)) return false;
        if (_waiting.Count < _options.MaxBatch) _earlyFlushes++;
        Flush();
        return true;
    }

    private void Flush()
    {
        Timers.Cancel(FlushTimer);
        if (_waiting.Count == 0) return;
        var batch = _waiting.Take(_options.MaxBatch).ToList();
        _waiting.RemoveRange(0, batch.Count);
        _waitingClients.Clear();
        foreach (var (_, replyTo, _) in _waiting) _waitingClients.Add(replyTo);
        var requests = batch.Select(b => new GenerationRequest(ToAgentRole(b.Request.Role), b.Request.Prompt, b.Request.Admissible)).ToList();
        IReadOnlyList<AgentText> answers;
        try
        {
            long started = Stopwatch.GetTimestamp();
            answers = _backend.Generate(requests);
            _generationSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (answers.Count != requests.Count)
                throw new InvalidOperationException($"the policy answered {answers.Count} of {requests.Count} requests");
        }
        catch (Exception e)
        {
            _log.Error(e, "generation of a batch of {0} failed; each request is answered with GenerateFailed", batch.Count);
            var failed = new GenerateFailed[batch.Count];
            for (int i = 0; i < batch.Count; i++) failed[i] = new GenerateFailed(batch[i].Request.RequestId, Bounded($"generation failed: {e.Message}"));
            Reply(batch, failed, (replyTo, f) => replyTo.Tell(f), (replyTo, group) => replyTo.Tell(new GenerateResponses([], group)));
            ContinueWithRest();
            return;
        }
        _batches++;
        _answered += batch.Count;
        var responses = new GenerateResponse[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            var answer = answers[i];
            _generatedTokens += answer.TokenIds.Length;
            responses[i] = new GenerateResponse(batch[i].Request.RequestId, answer.Text, answer.TokenIds, answer.BehaviourLogProbs, answer.PolicyVersion);
        }
        Reply(batch, responses, (replyTo, r) => replyTo.Tell(r), (replyTo, group) => replyTo.Tell(new GenerateResponses(group, [])));
        ContinueWithRest();
    }

    /// <summary>
    /// Sends each request of <paramref name="batch"/> its outcome: a request that came alone gets it alone, the grouped
    /// requests of one worker get theirs together, in one message.
    /// </summary>
    private static void Reply<T>(List<(GenerateRequest Request, IActorRef ReplyTo, bool Grouped)> batch, T[] outcomes, Action<IActorRef, T> single,
                                 Action<IActorRef, List<T>> grouped)
    {
        Dictionary<IActorRef, List<T>>? groups = null;
        for (int i = 0; i < batch.Count; i++)
        {
            var (_, replyTo, isGrouped) = batch[i];
            if (!isGrouped)
            {
                single(replyTo, outcomes[i]);
                continue;
            }
            groups ??= [];
            if (!groups.TryGetValue(replyTo, out var group)) groups[replyTo] = group = [];
            group.Add(outcomes[i]);
        }
        if (groups is not null)
            foreach (var (replyTo, group) in groups) grouped(replyTo, group);
    }

    // Requests that arrived during the generation sit in the mailbox ahead of this tick and join the next batch.
    private void ContinueWithRest()
    {
        if (_waiting.Count > 0) Self.Tell(FlushTick.Instance);
    }

    private void StartPull(WeightsVersionReady announcement)
    {
        var offered = (announcement.Epoch, announcement.Version);
        if (offered.CompareTo((_epoch, _backend.Version)) <= 0) return;
        // Through pub-sub the announcement comes from the WeightStore itself (wherever it runs); through the
        // EventStream it has no sender and the configured store is asked.
        var from = Sender.IsNobody() || Sender.Equals(Context.System.DeadLetters) ? _weightStore : Sender;
        if (_pulling is { } current)
        {
            var pulling = (current.Epoch, current.Version);
            if (offered.CompareTo(pulling) <= 0) return;
            if (announcement.Epoch == current.Epoch)
            {
                // Finish the pull under way, then take the newest version announced meanwhile: dropping a pull for
                // each newer version would never finish one when versions come faster than a pull on a busy node.
                if (_next is null || offered.CompareTo((_next.Epoch, _next.Version)) > 0) (_next, _nextFrom) = (announcement, from);
                return;
            }
            // A new learner epoch: the learner that served the pull under way is gone.
            _log.Info("weight version {0} of learner epoch {1} supersedes the pull of version {2} (epoch {3})", announcement.Version,
                announcement.Epoch, current.Version, current.Epoch);
            EndStream();
            _requestedChunks.Clear();
            Timers.Cancel(PullTimer);
        }
        _next = null;
        _pulling = announcement;
        _pullFrom = from;
        if (announcement.StreamUri is not null && _options.WeightTransport != WeightTransport.Akka)
        {
            _pull = null;
            Stream(announcement);
            return;
        }
        _pull = new WeightAssembler(announcement, _streams.Rent(announcement.TotalBytes));
        RequestMissing();
    }

    // The stream runs on the thread pool; its verified blob (or its failure) comes back as a message.
    private void Stream(WeightsVersionReady announcement)
    {
        _stream = new CancellationTokenSource();
        var self = Self;
        _streams.PullAsync(announcement, _options.PullTimeout, _stream.Token).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) self.Tell(new StreamedWeights(announcement, t.Result));
                else self.Tell(new StreamFailed(announcement, t.Exception?.GetBaseException() ?? new OperationCanceledException("the streamed pull was cancelled")));
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void EndStream()
    {
        if (_stream is null) return;
        _stream.Cancel();
        _stream.Dispose();
        _stream = null;
    }

    private static string Describe(Exception e) => Bounded(e is Grpc.Core.RpcException rpc
        ? $"{rpc.StatusCode}: {rpc.Status.Detail}{(rpc.Status.DebugException is { } inner ? $" ({inner.GetBaseException().Message})" : "")}"
        : $"{e.GetType().Name}: {e.Message}");

    private void TakeChunk(WeightChunk chunk)
    {
        if (_pull is null) return;
        var outcome = _pull.Add(chunk);
        if (outcome is not (ChunkOutcome.Accepted or ChunkOutcome.Duplicate))
        {
            if (outcome != ChunkOutcome.RejectedOtherVersion)
                _log.Warning("weight chunk {0} of version {1} rejected: {2}", chunk.Index, chunk.Version, outcome);
            return;
        }
        _requestedChunks.Remove(chunk.Index);
        if (_pull.IsComplete) Swap();
        else if (_requestedChunks.Count == 0) RequestMissing();
    }

    private void Swap()
    {
        var pull = _pull!;
        byte[] blob;
        try
        {
            blob = pull.Assemble();
        }
        catch (InvalidDataException e)
        {
            // The assembler has reset itself: every chunk is pulled again.
            _checksumFailures++;
            _log.Error("{0}", e.Message);
            RequestMissing();
            return;
        }
        Install(pull.Announcement, blob);
    }

    // The blob has passed its checksum check (assembler or stream); the actor handles one message at a time, so the
    // swap falls between two batches.
    private void Install(WeightsVersionReady version, byte[] blob)
    {
        try
        {
            _backend.LoadWeights(version.Version, blob);
        }
        catch (Exception e)
        {
            _log.Error(e, "weight version {0} passed its checksum but could not be loaded; keeping version {1}", version.Version, _backend.Version);
            EndPull();
            return;
        }
        _streams.Recycle(blob); // loaded: the next version is read into it
        _swaps++;
        _epoch = version.Epoch;
        string size = $"{version.TotalBytes:N0} bytes{(version.LoraOnly ? ", LoRA adapters only" : "")}";
        _log.Info("weights swapped to version {0} ({1}, epoch {2}, {3} {4}, via {5})", version.Version, size,
            _epoch, WeightChecksum.Algorithm, WeightChecksum.Hex(version.Checksum), _pull is null ? version.StreamUri : "Akka chunks");
        try
        {
            _journal.WeightsInstalled(version.Version, _epoch, version.Checksum, version.TotalBytes);
        }
        catch (IOException e)
        {
            _log.Error(e, "could not record weight version {0} in the node journal", version.Version);
        }
        EndPull();
    }

    private void RequestMissing()
    {
        var pull = _pull!;
        var window = pull.Missing().Take(_options.PullWindow).ToList();
        _requestedChunks.Clear();
        _requestedChunks.UnionWith(window);
        // One request per run of consecutive indices.
        for (int start = 0; start < window.Count;)
        {
            int end = start;
            while (end + 1 < window.Count && window[end + 1] == window[end] + 1) end++;
            _pullFrom.Tell(new WeightChunkRequest(pull.Announcement.Version, window[start], end - start + 1));
            start = end + 1;
        }
        Timers.StartSingleTimer(PullTimer, new PullTimeout(pull.Announcement.Version), _options.PullTimeout);
    }

    private void EndPull()
    {
        EndStream();
        _pulling = null;
        _pull = null;
        _requestedChunks.Clear();
        Timers.Cancel(PullTimer);
        if (_next is { } next)
        {
            _next = null;
            Self.Tell(next, _nextFrom); // pulled next if still newer than what is installed
        }
    }

    private static AgentRole ToAgentRole(PolicyRole role) => role switch
    {
        PolicyRole.Planner => AgentRole.Planner,
        PolicyRole.Reflector => AgentRole.Reflector,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown policy role"),
    };

    private static string Bounded(string reason) => reason.Length <= 300 ? reason : reason[..300] + "…";
}

using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using RetroAct.Actors.Hosting;
using RetroAct.Actors.Protocol;
using RetroAct.Learner.Runs;

namespace RetroAct.Actors.Metrics;

/// <summary>
/// Collects <see cref="MetricsReport"/>s from every actor and writes each as one line of the run directory's
/// metrics.jsonl: the report's source is the line's stage, its "step" value (when present) the step.
/// </summary>
public sealed class MetricsHub : ReceiveActor
{
    /// <summary>The value a report names its step with (the optimiser step, the policy version, ...).</summary>
    public const string StepKey = "step";

    /// <summary>The pub-sub topic reports travel on in a cluster.</summary>
    public const string Topic = "metrics";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _written;

    public MetricsHub(RunDirectory run)
    {
        Receive<SubscribeAck>(_ => { });
        Receive<MetricsReport>(report =>
        {
            var (step, values) = StepAndValues(report);
            try
            {
                run.LogMetrics(report.Source, step, values);
                _written++;
            }
            catch (IOException e)
            {
                _log.Error(e, "could not write a metrics report from {0} to {1}", report.Source, run.Path);
            }
        });
    }

    /// <summary>A report's step (its <see cref="StepKey"/> value; 0 when absent or not finite) and its other values.</summary>
    public static (long Step, Dictionary<string, double> Values) StepAndValues(MetricsReport report) =>
        (report.Values.TryGetValue(StepKey, out double s) && double.IsFinite(s) ? (long)s : 0,
         report.Values.Where(kv => kv.Key != StepKey).ToDictionary(kv => kv.Key, kv => kv.Value));

    /// <summary>Reports written so far (for tests and the dashboard).</summary>
    internal long Written => _written;

    public static Props Props(RunDirectory run) => Akka.Actor.Props.Create(() => new MetricsHub(run));

    protected override void PreStart()
    {
        if (ClusterAwareness.IsClustered(Context.System))
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(Topic, Self));
    }
}

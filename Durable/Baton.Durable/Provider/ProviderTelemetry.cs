using System.Diagnostics.Metrics;

namespace Baton.Durable.Provider;

/// <summary>What Baton's provider measures, as OpenTelemetry-compatible metrics (meter <see cref="Name"/>). Traces of
/// orchestrations and activities come from DTFx (source <c>DurableTask.Core</c>).</summary>
public static class ProviderTelemetry
{
    public const string Name = "Baton.Durable";

    static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Episodes =
        Meter.CreateCounter<long>("baton.durable.episodes", description: "Orchestration episodes committed");
    public static readonly Histogram<double> CommitMs =
        Meter.CreateHistogram<double>("baton.durable.episode.commit", "ms", "Time to commit one episode (its one transaction)");
    public static readonly Counter<long> ActivitiesCompleted =
        Meter.CreateCounter<long>("baton.durable.activities", description: "Activity results delivered to their orchestration");
    public static readonly Counter<long> OrchestrationsFinished =
        Meter.CreateCounter<long>("baton.durable.orchestrations.finished", description: "Instances that reached a terminal status");
}

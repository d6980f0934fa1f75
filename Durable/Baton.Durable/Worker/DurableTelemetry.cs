using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Baton.Durable.Worker;

/// <summary>OpenTelemetry-compatible traces and metrics (subscribe to source/meter name <see cref="Name"/>).</summary>
public static class DurableTelemetry
{
    public const string Name = "Baton.Durable";

    public static readonly ActivitySource Source = new(Name);
    static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Episodes = Meter.CreateCounter<long>("baton.durable.episodes", description: "Orchestration episodes committed");
    public static readonly Counter<long> ActivitiesRun = Meter.CreateCounter<long>("baton.durable.activities", description: "Activity attempts finished");
    public static readonly Counter<long> OrchestrationsFinished = Meter.CreateCounter<long>("baton.durable.orchestrations.finished", description: "Instances that reached a terminal status");
    public static readonly Histogram<double> EpisodeMs = Meter.CreateHistogram<double>("baton.durable.episode.duration", "ms", "Replay + commit time per episode");
    public static readonly Histogram<double> ActivityMs = Meter.CreateHistogram<double>("baton.durable.activity.duration", "ms", "Activity run time");
}

using Baton.Durable.Provider;
using Baton.Durable.Serialization;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Tracing;
using Newtonsoft.Json;
using Stored = Baton.Durable.History.HistoryEvent;

namespace Baton.ProviderTests;

/// <summary>Every DTFx event the provider stores comes back as it went in, through the store's JSON too.</summary>
public sealed class StoredEventsTests
{
    static readonly DateTime At = new(2026, 12, 3, 10, 0, 0, 123, DateTimeKind.Utc);

    static readonly FailureDetails Failure = new("System.InvalidOperationException", "outer", "at X()",
        new FailureDetails("System.ArgumentException", "inner", null, null, false), isNonRetriable: true,
        new Dictionary<string, object?>
        {
            ["attempts"] = 3, ["reason"] = "quota", ["retriable"] = false, ["big"] = 9_999_999_999L, ["ratio"] = 0.5, ["none"] = null,
            ["at"] = new DateTime(2025, 10, 15, 14, 30, 0, DateTimeKind.Utc),
            ["nested"] = new Dictionary<string, object?> { ["code"] = "E1", ["count"] = 2 },
            ["list"] = new List<object?> { "a", 1, null },
        });

    public static TheoryData<HistoryEvent> Events() => new()
    {
        { new ExecutionStartedEvent(-1, "\"input\"")
            {
                OrchestrationInstance = new OrchestrationInstance { InstanceId = "child", ExecutionId = "e2" },
                Name = "Child", Version = "2",
                ParentInstance = new ParentInstance
                {
                    Name = "Parent", TaskScheduleId = 4,
                    OrchestrationInstance = new OrchestrationInstance { InstanceId = "parent", ExecutionId = "e1" },
                },
                Tags = new Dictionary<string, string> { ["team"] = "baton" },
                ScheduledStartTime = At.AddMinutes(5),
                ParentTraceContext = Trace(),
            } },
        { new ExecutionCompletedEvent(9, "\"out\"", OrchestrationStatus.Failed, Failure) },
        { new ContinueAsNewEvent(3, "\"next\"") },
        { new ExecutionTerminatedEvent(-1, "\"enough\"") },
        { new ExecutionSuspendedEvent(-1, "hold") },
        { new ExecutionResumedEvent(-1, "go") },
        { new OrchestratorStartedEvent(-1) },
        { new OrchestratorCompletedEvent(-1) },
        { new TaskScheduledEvent(2)
            {
                Name = "Act", Version = "1", Input = "[1]", Tags = new Dictionary<string, string> { ["k"] = "v" }, ParentTraceContext = Trace(),
            } },
        { new TaskCompletedEvent(-1, 2, "42") },
        { new TaskFailedEvent(-1, 2, "outer", "details", Failure) },
        { new SubOrchestrationInstanceCreatedEvent(5) { Name = "Child", Version = "2", InstanceId = "child", Input = "{}", ClientSpanId = "00f067aa0ba902b7" } },
        { new SubOrchestrationInstanceCompletedEvent(-1, 5, "\"done\"") },
        { new SubOrchestrationInstanceFailedEvent(-1, 5, "outer", "details", Failure) },
        { new TimerCreatedEvent(6, At.AddHours(1)) },
        { new TimerFiredEvent(-1, At.AddHours(1)) { TimerId = 6 } },
        { new EventRaisedEvent(-1, "\"yes\"") { Name = "approval", ParentTraceContext = Trace() } },
        { new EventSentEvent(7) { Name = "ping", InstanceId = "other", Input = "1" } },
        { new GenericEvent(8, "data") },
    };

    static DistributedTraceContext Trace() => new("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=x")
    {
        Id = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01", SpanId = "b7ad6b7169203331", ActivityStartTime = At.AddSeconds(1),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void An_event_comes_back_from_storage_unchanged(HistoryEvent original)
    {
        original.Timestamp = At;
        // Through the store's own JSON, as a row would be written and read.
        var stored = DurableJson.Deserialize<Stored>(DurableJson.Serialize(StoredEvents.ToStored(original)));

        var restored = StoredEvents.FromStored(stored, "child");

        Assert.Equal(Json(original), Json(restored));
    }

    [Fact]
    public void A_terminate_the_SDK_client_sent_gives_the_own_engine_its_reason()
    {
        var stored = StoredEvents.ToStored(new ExecutionTerminatedEvent(-1, "\"no longer needed\""));

        Assert.Equal("no longer needed", stored.Reason);
    }

    [Fact]
    public void A_terminate_the_own_engine_queued_reads_as_its_output()
    {
        var stored = new Stored(Baton.Durable.History.HistoryEventType.ExecutionTerminated, At) { Reason = "no longer needed" };

        var restored = Assert.IsType<ExecutionTerminatedEvent>(StoredEvents.FromStored(stored, "instance"));

        Assert.Equal("\"no longer needed\"", restored.Input);
    }

    static string Json(HistoryEvent e) => JsonConvert.SerializeObject(e, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Objects });
}

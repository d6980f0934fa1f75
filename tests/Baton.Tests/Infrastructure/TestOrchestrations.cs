using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Infrastructure;

/// <summary>Event names the test orchestrations wait for; senders use the same constants.</summary>
public static class TestEvents
{
    public const string Approval = nameof(Approval);
    public const string Item = nameof(Item);
}

/// <summary>Waits for one <see cref="TestEvents.Approval"/> event and returns who approved.</summary>
public sealed class WaitForApprovalOrchestration : TaskOrchestrator<string?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string? input)
    {
        var approver = await context.WaitForExternalEvent<string>(TestEvents.Approval);
        return $"approved by {approver}";
    }
}

/// <summary>Collects <c>count</c> <see cref="TestEvents.Item"/> events in arrival order.</summary>
public sealed class CollectItemsOrchestration : TaskOrchestrator<int, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, int count)
    {
        var items = new List<string>();
        for (var i = 0; i < count; i++)
            items.Add(await context.WaitForExternalEvent<string>(TestEvents.Item));
        return items;
    }
}

/// <summary>Always fails, to observe failure details.</summary>
public sealed class FailingOrchestration : TaskOrchestrator<string?, string>
{
    public const string Message = "failed on purpose";

    public override Task<string> RunAsync(TaskOrchestrationContext context, string? input) =>
        throw new InvalidOperationException(Message);
}

/// <summary>Stands in for the conductor (instance <c>conductor</c>): counts the wakes it receives and shows them as its
/// custom status (<see cref="ReceivedWakes"/>), forever.</summary>
public sealed class RecordWakesOrchestration : TaskOrchestrator<string?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string? input)
    {
        var reasons = new List<string>();
        while (true)
        {
            var wake = await context.WaitForExternalEvent<Baton.Orchestrations.Conductor.ConductorWake>(
                Baton.Orchestrations.Conductor.ConductorEvents.Wake);
            reasons.Add($"{wake.Reason} @ {wake.SentAt:O}");
            context.SetCustomStatus(new ReceivedWakes(reasons.Count, reasons[^1]));
        }
    }
}

public sealed record ReceivedWakes(int Count, string Last);

/// <summary>Stands in for an issue's orchestration: waits for <c>IssueClosed</c> and returns who closed it.</summary>
public sealed class WaitForIssueClosedOrchestration : TaskOrchestrator<string?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string? input) =>
        "closed by " + await context.WaitForExternalEvent<string>(Baton.Orchestrations.Conductor.ConductorEvents.IssueClosed);
}

public static class TestOrchestrations
{
    /// <summary>Adds the test orchestrations to the tasks of the host's Durable Task worker (the default-named one).</summary>
    public static void Register(IServiceCollection services) =>
        services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName, registry => registry
            .AddOrchestrator<WaitForApprovalOrchestration>()
            .AddOrchestrator<CollectItemsOrchestration>()
            .AddOrchestrator<FailingOrchestration>()
            .AddOrchestrator<RecordWakesOrchestration>()
            .AddOrchestrator<WaitForIssueClosedOrchestration>());
}

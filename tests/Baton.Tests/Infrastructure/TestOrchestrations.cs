using Baton.Durable;
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

public static class TestOrchestrations
{
    /// <summary>Adds the test orchestrations to the registry the host composed.</summary>
    public static void Register(IServiceCollection services)
    {
        var registry = (DurableRegistry)services.Single(d => d.ServiceType == typeof(DurableRegistry)).ImplementationInstance!;
        registry.AddOrchestrator<WaitForApprovalOrchestration>()
            .AddOrchestrator<CollectItemsOrchestration>()
            .AddOrchestrator<FailingOrchestration>();
    }
}

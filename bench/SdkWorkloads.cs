using Microsoft.DurableTask;

namespace Baton.Bench.Sdk;

// The engine workloads, written on Microsoft's Durable Task SDK.

sealed class Hello5 : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var last = input;
        for (var i = 0; i < 5; i++) last = await context.CallActivityAsync<string>(nameof(Noop), last);
        return last;
    }
}

sealed class FanOutFanIn : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>(nameof(Identity), i)));
        return results.Length;
    }
}

sealed class WakeAt : TaskOrchestrator<DateTime, DateTime>
{
    public override async Task<DateTime> RunAsync(TaskOrchestrationContext context, DateTime due)
    {
        await context.CreateTimer(due, CancellationToken.None);
        return context.CurrentUtcDateTime;
    }
}

sealed class Noop : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
}

sealed class Identity : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input);
}

using Baton.Durable;

namespace Baton.Bench;

/// <summary>The industry-common benchmark: five sequential no-op activities (MSSQL, Netherite and DTS use it).</summary>
sealed class Hello5 : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var last = input;
        for (var i = 0; i < 5; i++) last = await context.CallActivityAsync<string>(nameof(Noop), last);
        return last;
    }
}

/// <summary>One orchestration, N parallel activities, fan-in.</summary>
sealed class FanOutFanIn : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>(nameof(Identity), i)));
        return results.Length;
    }
}

/// <summary>Sleeps on a durable timer until a shared due time and reports when it actually resumed.</summary>
sealed class WakeAt : TaskOrchestrator<DateTime, DateTime>
{
    public override async Task<DateTime> RunAsync(TaskOrchestrationContext context, DateTime due)
    {
        await context.CreateTimer(due);
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

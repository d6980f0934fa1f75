namespace Baton.Durable.Tests.Execution;

// Small orchestrators that exercise one engine helper each. Their names are their registered names.

sealed class HelloSequence : TaskOrchestrator<string, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, string input)
    {
        var results = new List<string>();
        foreach (var city in new[] { "Tokyo", "Seattle", input })
            results.Add(await context.CallActivityAsync<string>("SayHello", city));
        return results;
    }
}

sealed class RetryingCall(RetryPolicy policy, TimeSpan? timeout = null) : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>("Flaky", input, new TaskOptions { Retry = policy, Timeout = timeout });
}

sealed class ApprovalWithTimeout : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int timeoutSeconds)
    {
        try
        {
            var decision = await context.WaitForExternalEvent<string>("Approval", TimeSpan.FromSeconds(timeoutSeconds));
            return $"decided:{decision}";
        }
        catch (TimeoutException)
        {
            return "timed-out";
        }
    }
}

sealed class ActivityOrTimer : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        using var cancelTimer = new CancellationTokenSource();
        var work = context.CallActivityAsync<string>("Slow", input);
        var deadline = context.CreateTimer(TimeSpan.FromMinutes(5), cancelTimer.Token);
        if (await Task.WhenAny(work, deadline) == work)
        {
            cancelTimer.Cancel();
            return await work;
        }
        return "deadline";
    }
}

/// <summary>Counts events across ContinueAsNew: each execution takes one event and continues with the new total.</summary>
sealed class EventCounter : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int countSoFar)
    {
        var value = await context.WaitForExternalEvent<int>("Add");
        if (value < 0) return countSoFar;
        context.SetCustomStatus(new { count = countSoFar + 1 });
        context.ContinueAsNew(countSoFar + 1);
        return 0;
    }
}

sealed class TwoWaiters : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var first = context.WaitForExternalEvent<string>("Note");
        var second = context.WaitForExternalEvent<string>("Note");
        return $"{await first},{await second}";
    }
}

sealed class FanOut : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
    {
        var tasks = Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>("Double", i)).ToList();
        var results = await Task.WhenAll(tasks);
        return results.Sum();
    }
}

sealed class GuidsAndTime : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var first = context.NewGuid();
        var startedAt = context.CurrentUtcDateTime;
        await context.CallActivityAsync<string>("Echo", first.ToString());
        var second = context.NewGuid();
        return $"{first}|{second}|{startedAt:O}";
    }
}

sealed class AwaitsTaskDelay : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        await Task.Delay(TimeSpan.FromHours(1));
        return "never";
    }
}

sealed class CallsChild : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallSubOrchestratorAsync<string>("Child", input);
}

sealed class SendsAndFinishes : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string target)
    {
        context.SendEvent(target, "Ping", "hello");
        return Task.FromResult("sent");
    }
}

/// <summary>Two versions of one orchestrator: V2 inserted a call before the existing one (a breaking change).</summary>
sealed class ChangedCode(bool v2) : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        if (v2) await context.CallActivityAsync<string>("Audit", input);
        await context.CallActivityAsync<string>("Charge", input);
        return await context.CallActivityAsync<string>("Ship", input);
    }
}

sealed class LogsOnce(Action<string> log) : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var logger = context.CreateReplaySafeLogger("test");
        if (!context.IsReplaying) log("start");
        await context.CallActivityAsync<string>("Echo", "a");
        if (!context.IsReplaying) log("after-a");
        await context.CallActivityAsync<string>("Echo", "b");
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "done");
        return "ok";
    }
}

using System.Collections.Concurrent;

namespace Baton.Durable.Tests.Engine;

// Orchestrators and activities used by the end-to-end engine tests.

sealed class Chain : TaskOrchestrator<int, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, int steps)
    {
        var results = new List<string>();
        for (var i = 0; i < steps; i++) results.Add(await context.CallActivityAsync<string>(nameof(Echo), $"step-{i}"));
        return results;
    }
}

sealed class Echo : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
}

/// <summary>Fails with the configured class a given number of times per idempotency key, then succeeds.</summary>
sealed class FlakyStep(FlakyScript script) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
    {
        var calls = script.Calls.AddOrUpdate(input, 1, (_, n) => n + 1);
        if (calls <= script.Failures) throw new DurableFailureException(script.FailureClass, $"failure {calls}");
        return Task.FromResult($"{input} after {calls} calls");
    }
}

sealed class FlakyScript
{
    public int Failures { get; set; } = 2;
    public FailureClass FailureClass { get; set; } = FailureClass.Transient;
    public ConcurrentDictionary<string, int> Calls { get; } = new();
}

sealed class RetriesFlaky : TaskOrchestrator<string, string>
{
    public static readonly RetryPolicy Policy = new(4, TimeSpan.FromMilliseconds(200), backoffCoefficient: 2);

    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>(nameof(FlakyStep), input, TaskOptions.FromRetryPolicy(Policy));
}

/// <summary>Sleeps (cancellably) on its first delivery; a re-delivery finishes at once and says which attempt it was.</summary>
sealed class SlowStep : TaskActivity<int, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, int milliseconds)
    {
        await Task.Delay(context.Attempt == 1 ? milliseconds : 10, context.CancellationToken);
        return context.Attempt == 1 ? "finished" : $"finished on attempt {context.Attempt}";
    }
}

sealed class TimesOut : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int milliseconds)
    {
        try
        {
            return await context.CallActivityAsync<string>(nameof(SlowStep), milliseconds, new TaskOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        }
        catch (TaskFailedException e) when (e.FailureDetails.FailureClass == FailureClass.Timeout)
        {
            return "timed out";
        }
    }
}

/// <summary>An eternal counter: each execution takes one event and continues as new with the total.</summary>
sealed class EventTally : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int total)
    {
        var value = await context.WaitForExternalEvent<int>("Add");
        if (value < 0) return total;
        context.ContinueAsNew(total + value);
        return total;
    }
}

sealed class WaitsForApproval : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        context.SetCustomStatus(new { stage = "waiting" });
        var answer = await context.WaitForExternalEvent<string>("Approval", TimeSpan.FromMinutes(5));
        context.SetCustomStatus(new { stage = "done" });
        return $"{input}:{answer}";
    }
}

sealed class Parent : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int children)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, children)
            .Select(i => context.CallSubOrchestratorAsync<List<string>>(nameof(Chain), 2)));
        return results.Sum(r => r.Count);
    }
}

sealed class ParentOfWaiter : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallSubOrchestratorAsync<string>(nameof(WaitsForApproval), input,
            new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-child" });
}

sealed class Sleeper : TaskOrchestrator<int, DateTime>
{
    public override async Task<DateTime> RunAsync(TaskOrchestrationContext context, int milliseconds)
    {
        await context.CreateTimer(TimeSpan.FromMilliseconds(milliseconds));
        return context.CurrentUtcDateTime;
    }
}

/// <summary>Records every attempt it sees, with its idempotency key.</summary>
sealed class RecordsAttempts(AttemptLog log) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
    {
        log.Entries.Add((context.IdempotencyKey, context.Attempt));
        return Task.FromResult(context.IdempotencyKey);
    }
}

sealed class AttemptLog
{
    public ConcurrentBag<(string Key, int Attempt)> Entries { get; } = [];
}

sealed class CallsRecorder : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>(nameof(RecordsAttempts), input);
}

sealed class LongStep : TaskOrchestrator<int, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, int milliseconds) =>
        context.CallActivityAsync<string>(nameof(SlowStep), milliseconds);
}

/// <summary>One orchestrator name, two deployments: v2 inserted a timer before the existing steps.</summary>
sealed class Checkout(bool v2) : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string order)
    {
        if (v2) await context.CreateTimer(TimeSpan.FromMilliseconds(10));   // a pause inserted before the charge
        var charged = await context.CallActivityAsync<string>(nameof(Echo), "charge");
        var go = await context.WaitForExternalEvent<string>("Ship");
        return $"{order}:{charged}:{go}";
    }
}

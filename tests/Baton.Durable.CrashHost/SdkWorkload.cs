using Baton.Durable.CrashHost;
using Microsoft.DurableTask;

namespace Baton.CrashHostSdk;

/// <summary><see cref="Baton.Durable.CrashHost.CrashChain"/> on Microsoft's Durable Task SDK (crashhost --engine sdk).</summary>
sealed class CrashChain : TaskOrchestrator<int, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, int steps)
    {
        var results = new List<string>();
        for (var i = 0; i < steps; i++)
        {
            // Deliberately impure, and only for this test host: die in the middle of an episode.
            if (!context.IsReplaying) CrashPoints.Hit("episode");
            results.Add(await context.CallActivityAsync<string>(nameof(Step), $"{context.InstanceId}/{i}"));
        }
        return results;
    }
}

/// <summary>Journals every execution before returning. The SDK's activity context has no attempt number: each line
/// carries a per-process sequence number instead, then the process and the time (Unix milliseconds).</summary>
sealed class Step(Journal journal) : TaskActivity<string, string>
{
    static int executions;

    public override async Task<string> RunAsync(TaskActivityContext context, string input)
    {
        journal.Append($"{input} {Interlocked.Increment(ref executions)} {Environment.ProcessId} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        CrashPoints.Hit("activity");
        await Task.Delay(journal.StepDelay);
        return $"done:{input}";
    }
}

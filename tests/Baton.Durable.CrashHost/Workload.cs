using Microsoft.DurableTask;

namespace Baton.Durable.CrashHost;

/// <summary>A chain of journaled steps, on Microsoft's Durable Task SDK over Baton's provider.</summary>
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

/// <summary>An append-only file, flushed per line, that survives the process being killed. Each process writes its
/// own file (<c>{path}.{pid}</c>): appends from two processes to one file can overwrite each other.</summary>
sealed class Journal(string basePath, TimeSpan stepDelay)
{
    readonly string path = $"{basePath}.{Environment.ProcessId}";
    readonly Lock gate = new();
    public TimeSpan StepDelay { get; } = stepDelay;

    public void Append(string line)
    {
        lock (gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
    }
}

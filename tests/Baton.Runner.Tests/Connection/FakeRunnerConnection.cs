using System.Collections.Concurrent;
using System.Threading.Channels;
using Baton.Runner.Connection;
using Baton.Runner.Protocol;

namespace Baton.Runner.Tests.Connection;

/// <summary>An in-memory host: hands out queued jobs, records heartbeats, log lines and reports, and can answer a
/// heartbeat with Cancel or a lost lease.</summary>
internal sealed class FakeRunnerConnection : IRunnerConnection
{
    private readonly Channel<AgentJob> _jobs = Channel.CreateUnbounded<AgentJob>();

    public ConcurrentQueue<string> Logs { get; } = new();
    public ConcurrentQueue<JobReport> Reports { get; } = new();
    public RunnerRegistration? Registration { get; private set; }
    public int Heartbeats;

    /// <summary>What the next heartbeats do: null = fine, "cancel", or "gone".</summary>
    public volatile string? HeartbeatAnswer;

    public TaskCompletionSource<JobReport> Reported { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource HeartbeatStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Enqueue(AgentJob job) => _jobs.Writer.TryWrite(job);

    public Task<RunnerRegistered> RegisterAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        Registration = registration;
        return Task.FromResult(new RunnerRegistered("runner-1", HeartbeatSeconds: 1));
    }

    public async Task<AgentJob?> NextJobAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await _jobs.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task<HeartbeatReply> HeartbeatAsync(string jobId, JobHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Heartbeats);
        switch (HeartbeatAnswer)
        {
            case "cancel":
                HeartbeatStopped.TrySetResult();
                return Task.FromResult(new HeartbeatReply(Cancel: true));
            case "gone":
                HeartbeatStopped.TrySetResult();
                throw new LeaseLostException(jobId);
            default:
                return Task.FromResult(new HeartbeatReply(Cancel: false));
        }
    }

    public Task SendLogsAsync(string jobId, JobLogLines lines, CancellationToken cancellationToken)
    {
        foreach (var line in lines.Lines)
            Logs.Enqueue(line);
        return Task.CompletedTask;
    }

    public Task ReportAsync(string jobId, JobReport report, CancellationToken cancellationToken)
    {
        Reports.Enqueue(report);
        Reported.TrySetResult(report);
        return Task.CompletedTask;
    }
}

using Baton.Runner.Agents;
using Baton.Runner.Connection;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Runner;

/// <summary>The runner: registers with the host, then in each of <see cref="RunnerOptions.Parallelism"/> slots
/// long-polls for a job, runs it while heartbeating and streaming its log, and reports the outcome.</summary>
/// <remarks>
/// A heartbeat answered with <see cref="HeartbeatReply.Cancel"/> or a lost lease (HTTP 410 on any job call) stops the
/// job at once: the agent's process tree is killed, the workspace deleted and nothing is reported, because the host
/// has already moved on (the issue was closed, or another runner holds the job). Stopping the runner does the same
/// for running jobs; the host re-offers them once their lease lapses.
/// </remarks>
public sealed class RunnerLoop(IRunnerConnection connection, JobExecutor executor, AgentAdapters adapters,
    IOptions<RunnerOptions> options, ILogger<RunnerLoop> logger) : BackgroundService
{
    private const int ReportAttempts = 3;

    private RunnerOptions Options => options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    /// <exception cref="RunnerUnauthorizedException">When the host refuses the runner's token.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var registered = await RegisterAsync(cancellationToken);
        if (registered is null)
            return;
        await Task.WhenAll(Enumerable.Range(0, Options.Parallelism).Select(_ => Task.Run(() => SlotAsync(registered, cancellationToken), CancellationToken.None)));
    }

    private async Task<RunnerRegistered?> RegisterAsync(CancellationToken cancellationToken)
    {
        var registration = new RunnerRegistration(Options.Name, adapters.Names);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var registered = await connection.RegisterAsync(registration, cancellationToken);
                RunnerLog.Registered(logger, Options.Name, registered.RunnerId, string.Join(", ", registration.Agents));
                return registered;
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                await PauseAsync(e, cancellationToken);
            }
        }
        return null;
    }

    private async Task SlotAsync(RunnerRegistered registered, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            AgentJob? job;
            try
            {
                job = await connection.NextJobAsync(registered.RunnerId, Options.PollWait, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                await PauseAsync(e, cancellationToken);
                continue;
            }
            if (job is not null)
                await RunJobAsync(job, TimeSpan.FromSeconds(Math.Max(1, registered.HeartbeatSeconds)), cancellationToken);
        }
    }

    /// <summary>Runs one job under heartbeats; reports its outcome unless the job was taken away.</summary>
    internal async Task RunJobAsync(AgentJob job, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        using var stopJob = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stopReason = 0; // 1 = cancelled by the host, 2 = lease lost
        void Stop(int reason)
        {
            Interlocked.CompareExchange(ref stopReason, reason, 0);
            stopJob.Cancel();
        }

        AgentOutcome? outcome;
        await using (var logs = new JobLogStream(connection, job, Options, logger, () => Stop(2)))
        {
            using var stopHeartbeat = CancellationTokenSource.CreateLinkedTokenSource(stopJob.Token);
            var heartbeat = HeartbeatAsync(job, heartbeatInterval, Stop, stopHeartbeat.Token);
            try
            {
                outcome = await executor.RunAsync(job, logs.Add, stopJob.Token);
            }
            catch (OperationCanceledException) when (stopJob.IsCancellationRequested)
            {
                outcome = null;
            }
            catch (Exception e)
            {
                RunnerLog.JobCrashed(logger, e, job.JobId);
                outcome = new AgentOutcome(AgentOutcomeKind.Failed, Summary: $"The runner failed: {e.Message}",
                    FailureClass: FailureClasses.Transient);
            }
            finally
            {
                await stopHeartbeat.CancelAsync();
                await heartbeat;
            }
        }

        switch (stopReason)
        {
            case 1:
                RunnerLog.JobCancelled(logger, job.JobId);
                return;
            case 2:
                RunnerLog.LeaseLost(logger, job.JobId);
                return;
        }
        if (outcome is null)
            return; // the runner is stopping
        await ReportAsync(job, outcome, cancellationToken);
    }

    private async Task HeartbeatAsync(AgentJob job, TimeSpan interval, Action<int> stop, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var reply = await connection.HeartbeatAsync(job.JobId, new JobHeartbeat(job.LeaseToken), cancellationToken);
                    if (reply.Cancel)
                    {
                        stop(1);
                        return;
                    }
                }
                catch (LeaseLostException)
                {
                    stop(2);
                    return;
                }
                catch (Exception e) when (IsPassing(e, cancellationToken))
                {
                    RunnerLog.HeartbeatFailed(logger, e, job.JobId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportAsync(AgentJob job, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.ReportAsync(job.JobId, new JobReport(job.LeaseToken, outcome), cancellationToken);
                return;
            }
            catch (LeaseLostException)
            {
                RunnerLog.LeaseLost(logger, job.JobId);
                return;
            }
            catch (Exception e) when (IsPassing(e, cancellationToken))
            {
                if (attempt == ReportAttempts)
                {
                    RunnerLog.ReportFailed(logger, e, job.JobId);
                    return;
                }
                await PauseAsync(e, cancellationToken);
            }
        }
    }

    /// <summary>An outage worth waiting out: anything but a refused token or our own shutdown.</summary>
    private static bool IsPassing(Exception e, CancellationToken cancellationToken) =>
        e is not RunnerUnauthorizedException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private async Task PauseAsync(Exception e, CancellationToken cancellationToken)
    {
        RunnerLog.HostCallFailed(logger, e, Options.RetryDelay.TotalSeconds);
        try
        {
            await Task.Delay(Options.RetryDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Baton.Durable;
using Baton.Durable.History;
using Baton.Durable.Hosting;
using Baton.Failures;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Agents;

/// <summary>
/// The host's half of the runner protocol (ARCHITECTURE.md §2.3). An agent job is a durable activity named
/// <c>RunAgentJob:&lt;adapter&gt;</c> that this process's worker never runs (a remote activity, docs/engine.md): runners
/// claim it here under a lease, heartbeats renew the lease, and the report completes it, which resumes the waiting
/// orchestration. A runner that stops heartbeating loses the lease; the engine makes the row claimable again with its
/// delivery count raised, which is the re-offer, bounded by <see cref="RunnerHostOptions.MaxOffers"/>. Nothing here
/// is kept in memory except recent log lines, so any replica can serve any runner.
/// </summary>
public sealed class AgentJobs(
    IDurableStore store,
    StoreReadiness readiness,
    IRepositoryAccess repositories,
    WorkSignals signals,
    IOptions<RunnerHostOptions> options,
    TimeProvider clock,
    ILogger<AgentJobs> logger)
{
    /// <summary>Jobs are remote activities named per adapter (<c>RunAgentJob:claude-code</c>, ...), so a runner claims
    /// exactly the jobs it can run, and a job is never claimed (and its offer count raised) by one that cannot.</summary>
    public const string ActivityPrefix = "RunAgentJob:";

    /// <summary>The adapters a job can ask for (the runner's <c>AgentAdapters</c> implements each).</summary>
    public static readonly IReadOnlyList<string> KnownAgents = ["claude-code", "opencode", "codex", "aider", "command"];

    /// <summary>Who holds a queued job's lease while it is being cancelled.</summary>
    const string CancellerId = "baton.cancel-agent-jobs";

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    const int LogLinesKept = 500;

    readonly ConcurrentDictionary<long, LogTail> logs = new();

    RunnerHostOptions Settings => options.Value;

    public static string ActivityFor(string agent) => ActivityPrefix + agent.ToLowerInvariant();

    /// <summary>A runner id names the runner and the agents it offers (<c>name.agent+agent.nonce</c>), so that any
    /// replica can tell which jobs suit it without remembering registrations.</summary>
    public static RunnerRegistered Register(RunnerRegistration registration, TimeSpan lease)
    {
        var name = Slug(registration.Name, "runner");
        var agents = string.Join('+', registration.Agents.Select(a => Slug(a, "")).Where(KnownAgents.Contains).Distinct());
        var id = $"{name}.{agents}.{Guid.NewGuid().ToString("N")[..10]}";
        return new RunnerRegistered(id, HeartbeatSecondsFor(lease));
    }

    public static int HeartbeatSecondsFor(TimeSpan lease) => Math.Max(1, (int)(lease.TotalSeconds / 4));

    /// <summary>Waits up to <paramref name="wait"/> for a job this runner can run; null when none came.</summary>
    public async Task<AgentJob?> NextAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        // The embedded runner starts with the host: its first poll must not reach the store before the migrations.
        await readiness.Migrated.WaitAsync(cancellationToken);
        var agents = AgentsOf(runnerId);
        if (agents.Count == 0)
        {
            // A runner that offers no adapter never gets a job; letting it wait keeps it from polling in a loop.
            await Task.Delay(wait, clock, cancellationToken);
            return null;
        }
        var filter = ActivityNameFilter.Only(agents.Select(ActivityFor));
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            foreach (var item in await store.ClaimActivitiesAsync(runnerId, 1, Settings.JobLease, filter, cancellationToken))
            {
                if (await TryOfferAsync(runnerId, item, cancellationToken) is { } job) return job;
            }
            if (clock.GetUtcNow() + PollInterval > deadline) return null;
            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    async Task<AgentJob?> TryOfferAsync(string runnerId, ActivityWorkItem item, CancellationToken cancellationToken)
    {
        if (Read(item.Input) is not { } request)
        {
            await FailAsync(item, FailureClass.Permanent, "The job's input could not be read.");
            return null;
        }
        if (item.DequeueCount > Settings.MaxOffers)
        {
            AgentJobLog.GaveUp(logger, item.Id, request.Issue.ToString(), item.DequeueCount - 1);
            await FailAsync(item, FailureClass.StaleWorker,
                $"The job was offered to {item.DequeueCount - 1} runners and each stopped sending heartbeats.");
            return null;
        }
        if (!await IsWantedAsync(item, cancellationToken))
        {
            await DropAsync(item);
            return null;
        }

        RepositoryCheckout checkout;
        try
        {
            checkout = await repositories.ForJobAsync(request.Issue.Repository, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Offer it again shortly; the runner has nothing to do yet.
            AgentJobLog.CredentialFailed(logger, e, item.Id, request.Issue.Repository);
            await store.AbandonActivityAsync(item, TimeSpan.FromSeconds(30), CancellationToken.None);
            return null;
        }
        AgentJobLog.Offered(logger, item.Id, request.Issue.ToString(), request.Role, runnerId, item.DequeueCount);
        return new AgentJob(
            JobId: item.Id.ToString(CultureInfo.InvariantCulture),
            LeaseToken: item.LockToken,
            Offer: item.DequeueCount,
            Role: request.Role,
            Agent: request.Agent,
            Model: request.Model,
            Repository: request.Issue.Repository,
            CloneUrl: checkout.CloneUrl,
            Credential: checkout.Credential,
            BaseBranch: request.BaseBranch,
            Branch: request.Branch,
            Issue: new IssueText(request.Issue.Number, request.Title, request.Body),
            Feedback: request.Feedback,
            Budget: request.Budget);
    }

    /// <summary>Renews the lease. Cancel when the job's orchestration has ended; null when the runner no longer holds the
    /// job (also when the job was cancelled: <see cref="CancelJobsOfAsync"/> deletes it).</summary>
    public async Task<HeartbeatReply?> HeartbeatAsync(long jobId, string leaseToken, CancellationToken cancellationToken)
    {
        if (await HeldAsync(jobId, leaseToken, cancellationToken) is not { } item) return null;
        if (!await IsWantedAsync(item, cancellationToken))
        {
            await DropAsync(item);
            return new HeartbeatReply(Cancel: true);
        }
        return await store.RenewActivityLeaseAsync(item, Settings.JobLease, cancellationToken) ? new HeartbeatReply(false) : null;
    }

    public async Task<bool> AppendLogsAsync(long jobId, string leaseToken, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        if (await HeldAsync(jobId, leaseToken, cancellationToken) is null) return false;
        var tail = logs.GetOrAdd(jobId, _ => new LogTail());
        foreach (var line in lines)
        {
            tail.Add(line);
            AgentJobLog.Output(logger, jobId, line);
        }
        return true;
    }

    /// <summary>The last lines a runner streamed for a job (this replica's copy; kept until the job ends).</summary>
    public IReadOnlyList<string> RecentLogs(long jobId) => logs.TryGetValue(jobId, out var tail) ? tail.Snapshot() : [];

    /// <summary>Completes the job with the runner's outcome: success and "blocked with a question" are results the
    /// orchestration reads; a failure becomes an activity failure with its class, so the orchestration's retry policy
    /// decides by class (ARCHITECTURE.md §2.6).</summary>
    public async Task<bool> ReportAsync(long jobId, string leaseToken, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        if (await HeldAsync(jobId, leaseToken, cancellationToken) is not { } item) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var result = outcome.Kind == AgentOutcomeKind.Failed
            ? new HistoryEvent(HistoryEventType.TaskFailed, now) { TaskId = item.TaskId, Failure = FailureOf(outcome) }
            : new HistoryEvent(HistoryEventType.TaskCompleted, now) { TaskId = item.TaskId, Data = DurableJson.Serialize(outcome) };
        var completed = await store.CompleteActivityAsync(item, result, cancellationToken: cancellationToken);
        if (completed)
        {
            logs.TryRemove(jobId, out _);
            signals.Orchestrations.Set();
            AgentJobLog.Reported(logger, jobId, outcome.Kind.ToString(), outcome.FailureClass);
        }
        return completed;
    }

    /// <summary>Jobs waiting for a runner or running on one.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await readiness.Migrated.WaitAsync(cancellationToken);
        var rows = new List<ActivityRecord>();
        foreach (var agent in KnownAgents) rows.AddRange(await store.ListActivitiesAsync(ActivityFor(agent), 200, cancellationToken));
        return rows.OrderBy(r => r.Id).Select(row => (Row: row, Request: Read(row.Input)))
            .Where(x => x.Request is not null)
            .Select(x => new JobSummary(x.Row.Id.ToString(CultureInfo.InvariantCulture), x.Request!.Issue.Repository,
                x.Request.Issue.Number, x.Request.Role, x.Request.Agent, x.Row.Lease is null ? "queued" : "running",
                x.Row.DequeueCount, x.Row.Lease?.Owner, x.Row.Lease?.ExpiresAt))
            .ToList();
    }

    /// <summary>Ends every job of <paramref name="instanceId"/>, queued or running, as cancelled; a runner working on one
    /// learns it at its next heartbeat. Returns how many there were.</summary>
    public async Task<int> CancelJobsOfAsync(string instanceId, CancellationToken cancellationToken)
    {
        await readiness.Migrated.WaitAsync(cancellationToken);
        var cancelled = 0;
        foreach (var agent in KnownAgents)
        {
            foreach (var row in await store.ListActivitiesAsync(ActivityFor(agent), 200, cancellationToken))
            {
                if (row.InstanceId != instanceId) continue;
                // A running job is held by its runner; a queued one is leased here first, to be ended like any other.
                var item = await store.GetActivityAsync(row.Id, cancellationToken)
                           ?? await store.ClaimActivityAsync(row.Id, CancellerId, Settings.JobLease, cancellationToken);
                if (item is null) continue;
                await DropAsync(item);
                cancelled++;
            }
        }
        return cancelled;
    }

    async Task<ActivityWorkItem?> HeldAsync(long jobId, string leaseToken, CancellationToken cancellationToken)
    {
        await readiness.Migrated.WaitAsync(cancellationToken);
        var item = await store.GetActivityAsync(jobId, cancellationToken);
        if (item is null || !item.Name.StartsWith(ActivityPrefix, StringComparison.Ordinal)) return null;
        // The store fences every write with the token we pass, so pass the runner's: a stale runner's is refused.
        return item with { LockToken = leaseToken };
    }

    async Task<bool> IsWantedAsync(ActivityWorkItem item, CancellationToken cancellationToken)
    {
        var instance = await store.GetInstanceAsync(item.InstanceId, includePayloads: false, cancellationToken);
        return instance is not null && instance.ExecutionId == item.ExecutionId && !instance.Status.IsTerminal();
    }

    /// <summary>Deletes a job nobody waits for any more (the store drops the result for a finished orchestration).</summary>
    async Task DropAsync(ActivityWorkItem item)
    {
        logs.TryRemove(item.Id, out _);
        AgentJobLog.Cancelled(logger, item.Id, item.InstanceId);
        await FailAsync(item, FailureClass.Permanent, "The job's orchestration has ended.", "JobCancelled");
    }

    /// <summary>Ends the job with a failure of <paramref name="failureClass"/>; Permanent and StaleWorker are final (the
    /// broker already re-offered a stale job as often as allowed).</summary>
    async Task FailAsync(ActivityWorkItem item, FailureClass failureClass, string message, string errorType = "AgentJobFailed")
    {
        await store.CompleteActivityAsync(item, new HistoryEvent(HistoryEventType.TaskFailed, clock.GetUtcNow().UtcDateTime)
        {
            TaskId = item.TaskId,
            Failure = new TaskFailureDetails(errorType, message, IsNonRetriable: true)
            {
                // Final whatever the class: the broker has already re-offered a stale job as often as allowed.
                Properties = FailureFacts.For(failureClass, final: true),
            },
        });
        signals.Orchestrations.Set();
    }

    static TaskFailureDetails FailureOf(AgentOutcome outcome)
    {
        var failureClass = Enum.TryParse<FailureClass>(outcome.FailureClass, ignoreCase: true, out var parsed) ? parsed : FailureClass.Unknown;
        return new TaskFailureDetails("AgentFailed", outcome.Summary ?? $"The agent failed ({failureClass}).",
            IsNonRetriable: failureClass.IsNeverRetried())
        {
            Properties = FailureFacts.For(failureClass),
        };
    }

    static AgentJobRequest? Read(string? input)
    {
        if (input is null) return null;
        try
        {
            // DTFx stores an activity's input as its parameter list: a one-element array around the request.
            using var json = System.Text.Json.JsonDocument.Parse(input);
            var request = json.RootElement is { ValueKind: System.Text.Json.JsonValueKind.Array } parameters && parameters.GetArrayLength() == 1
                ? parameters[0]
                : json.RootElement;
            return System.Text.Json.JsonSerializer.Deserialize<AgentJobRequest>(request, DurableJson.Options);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    static HashSet<string> AgentsOf(string runnerId)
    {
        var parts = runnerId.Split('.');
        return parts.Length == 3 ? parts[1].Split('+', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) : [];
    }

    static string Slug(string text, string fallback)
    {
        var slug = new string(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray()).Trim('-');
        return slug.Length == 0 ? fallback : slug[..Math.Min(slug.Length, 40)];
    }

    sealed class LogTail
    {
        readonly Queue<string> lines = new();

        public void Add(string line)
        {
            lock (lines)
            {
                lines.Enqueue(line);
                if (lines.Count > LogLinesKept) lines.Dequeue();
            }
        }

        public IReadOnlyList<string> Snapshot()
        {
            lock (lines) return lines.ToList();
        }
    }
}

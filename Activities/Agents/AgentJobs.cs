using System.Collections.Concurrent;
using Baton.Orchestrations;
using Baton.Runner.Protocol;
using Microsoft.DurableTask.Client;

namespace Baton.Activities.Agents;

/// <summary>
/// The host's half of the runner protocol (ARCHITECTURE.md §2.3), on the Durable Task client alone: each agent job is an
/// <see cref="AgentJobOrchestration"/> instance (id <c>job:…</c>) whose custom status says whether it is queued or held
/// by a runner under a lease token. A runner's poll raises a claim on a queued job and waits to see it granted (another
/// replica's runner may win, then it tries the next); heartbeats and the report are raised as events too, and the job's
/// orchestration decides (stale tokens are ignored there, lapsed leases re-offered). Nothing is kept in memory except
/// recent log lines, so any replica can serve any runner, on any Durable Task backend.
/// </summary>
public sealed class AgentJobs(
    DurableTaskClient client,
    IRepositoryAccess repositories,
    RunnerSightings sightings,
    TimeProvider clock,
    ILogger<AgentJobs> logger)
{
    /// <summary>The adapters a job can ask for (the runner's <c>AgentAdapters</c> implements each).</summary>
    public static readonly IReadOnlyList<string> KnownAgents = ["claude-code", "opencode", "codex", "aider", "command"];

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    /// <summary>How long a poll waits to see its claim granted before it leaves the job to whoever won it.</summary>
    static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(10);
    static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(100);
    static readonly OrchestrationRuntimeStatus[] LiveStatuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running];
    const int LogLinesKept = 500;

    readonly ConcurrentDictionary<string, LogTail> logs = new(StringComparer.Ordinal);

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

    /// <summary>Whether <paramref name="jobId"/> has the shape of a job id (it may still name no job).</summary>
    public static bool IsJobId(string jobId) =>
        jobId.StartsWith(AgentJobEvents.JobIdPrefix, StringComparison.Ordinal) && jobId.Length <= 200 &&
        jobId.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '.' or '_');

    /// <summary>Waits up to <paramref name="wait"/> for a job this runner can run; null when none came.</summary>
    public async Task<AgentJob?> NextAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        await sightings.SeenAsync(runnerId, cancellationToken);
        var agents = AgentsOf(runnerId);
        if (agents.Count == 0)
        {
            // A runner that offers no adapter never gets a job; letting it wait keeps it from polling in a loop.
            await Task.Delay(wait, clock, cancellationToken);
            return null;
        }
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            foreach (var (id, input, _) in (await LiveJobsAsync(cancellationToken))
                         .Where(j => j.State.Stage == AgentJobState.QueuedStage && agents.Contains(j.Input.Request.Agent)))
            {
                if (await TryClaimAsync(runnerId, id, input, cancellationToken) is { } job) return job;
            }
            if (clock.GetUtcNow() + PollInterval > deadline) return null;
            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    async Task<AgentJob?> TryClaimAsync(string runnerId, string jobId, AgentJobInput input, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var until = clock.GetUtcNow() + ClaimWait;
        await client.RaiseEventAsync(jobId, AgentJobEvents.Claim, new JobClaim(runnerId, token, until.UtcDateTime), cancellationToken);
        AgentJobState? granted = null;
        while (granted is null && clock.GetUtcNow() < until)
        {
            await Task.Delay(ClaimPollInterval, clock, cancellationToken);
            var (live, state) = await StateAsync(jobId, cancellationToken);
            if (!live || state is null) return null;
            if (state.Stage == AgentJobState.Running) granted = state;
        }
        // Not granted in time, or granted to another runner: the job orchestration ignores a claim past its time.
        if (granted?.LeaseToken != token) return null;

        var request = input.Request;
        RepositoryCheckout checkout;
        try
        {
            checkout = await repositories.ForJobAsync(request.Issue.Repository, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The runner has nothing to do yet; the lease lapses and the job is offered again (counting one offer).
            AgentJobLog.CredentialFailed(logger, e, jobId, request.Issue.Repository);
            return null;
        }
        AgentJobLog.Offered(logger, jobId, request.Issue.ToString(), request.Role, runnerId, granted.Offers);
        return new AgentJob(
            JobId: jobId,
            LeaseToken: token,
            Offer: granted.Offers,
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

    /// <summary>Renews the lease. Cancel when the job ended while this runner held it (its issue was closed); null when
    /// the runner does not hold the job (it went to another runner, or never existed).</summary>
    public async Task<HeartbeatReply?> HeartbeatAsync(string jobId, string leaseToken, CancellationToken cancellationToken)
    {
        var (live, state) = await StateAsync(jobId, cancellationToken);
        if (state?.LeaseToken != leaseToken) return null;
        if (!live)
        {
            // It ended while this runner held it: the issue was closed (or the issue stopped waiting for it).
            logs.TryRemove(jobId, out _);
            return new HeartbeatReply(Cancel: true);
        }
        if (state.Stage != AgentJobState.Running) return null;
        await client.RaiseEventAsync(jobId, AgentJobEvents.Heartbeat, new JobLease(leaseToken), cancellationToken);
        return new HeartbeatReply(false);
    }

    public async Task<bool> AppendLogsAsync(string jobId, string leaseToken, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        if (!await HoldsAsync(jobId, leaseToken, cancellationToken)) return false;
        var tail = logs.GetOrAdd(jobId, _ => new LogTail());
        foreach (var line in lines)
        {
            tail.Add(line);
            AgentJobLog.Output(logger, jobId, line);
        }
        return true;
    }

    /// <summary>The last lines a runner streamed for a job (this replica's copy; kept until the job ends).</summary>
    public IReadOnlyList<string> RecentLogs(string jobId) => logs.TryGetValue(jobId, out var tail) ? tail.Snapshot() : [];

    /// <summary>Hands the runner's outcome to the job's orchestration, which sends it to the issue's; a failure's class
    /// decides there whether a new job is queued (ARCHITECTURE.md §2.6).</summary>
    public async Task<bool> ReportAsync(string jobId, string leaseToken, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        if (!await HoldsAsync(jobId, leaseToken, cancellationToken)) return false;
        await client.RaiseEventAsync(jobId, AgentJobEvents.Result, new JobResult(leaseToken, outcome), cancellationToken);
        logs.TryRemove(jobId, out _);
        AgentJobLog.Reported(logger, jobId, outcome.Kind.ToString(), outcome.FailureClass);
        return true;
    }

    /// <summary>Jobs waiting for a runner or running on one.</summary>
    public async Task<IReadOnlyList<JobSummary>> ListAsync(CancellationToken cancellationToken) =>
        (await LiveJobsAsync(cancellationToken))
        .Select(j => new JobSummary(j.Id, j.Input.Request.Issue.Repository, j.Input.Request.Issue.Number, j.Input.Request.Role,
            j.Input.Request.Agent, j.State.Stage, j.State.Offers, j.State.Stage == AgentJobState.Running ? j.State.RunnerId : null,
            j.State.LeaseExpiresAt))
        .ToList();

    /// <summary>Live job instances, oldest first (queued ones not yet started show as queued).</summary>
    async Task<List<(string Id, AgentJobInput Input, AgentJobState State)>> LiveJobsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<(string Id, AgentJobInput Input, AgentJobState State, DateTimeOffset Created)>();
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = AgentJobEvents.JobIdPrefix,
            Statuses = LiveStatuses,
            FetchInputsAndOutputs = true,
        };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.ReadInputAs<AgentJobInput>() is not { } input) continue;
            var state = instance.ReadCustomStatusAs<AgentJobState>() ?? input.State ?? AgentJobState.Queued(0);
            jobs.Add((instance.InstanceId, input, state, instance.CreatedAt));
        }
        return jobs.OrderBy(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal).Select(j => (j.Id, j.Input, j.State)).ToList();
    }

    async Task<bool> HoldsAsync(string jobId, string leaseToken, CancellationToken cancellationToken)
    {
        var (live, state) = await StateAsync(jobId, cancellationToken);
        return live && state is { Stage: AgentJobState.Running } && state.LeaseToken == leaseToken;
    }

    /// <summary>Whether the job instance is live, and its state as last shown.</summary>
    async Task<(bool Live, AgentJobState? State)> StateAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!IsJobId(jobId)) return (false, null);
        var instance = await client.GetInstanceAsync(jobId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null) return (false, null);
        return (LiveStatuses.Contains(instance.RuntimeStatus), instance.ReadCustomStatusAs<AgentJobState>());
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

using Baton.Activities.Agents;
using Baton.Activities.GitHub;
using Baton.Functions.People;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

using Baton.Orchestrations.Voice;

namespace Baton.Functions.Dashboard;

/// <summary>
/// Reads what the dashboard shows through the Durable Task client and the existing read services only: the conductor's
/// and issues' custom statuses, <see cref="AgentJobs"/> for jobs and log lines, <see cref="EscalationDesk"/> for
/// decisions, and GitHub for milestone progress. Nothing here writes.
/// </summary>
public sealed class DashboardReader(
    DurableTaskClient client,
    AgentJobs jobs,
    EscalationDesk desk,
    DashboardAccess access,
    GitHubClient github,
    IOptions<RunnerHostOptions> runners,
    TimeProvider clock,
    ILogger<DashboardReader> logger)
{
    const int LogLinesShown = 8;
    const int FailuresShownPerClass = 5;
    static readonly TimeSpan FailureWindow = TimeSpan.FromDays(1);
    static readonly TimeSpan MilestonesKeptFor = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MilestoneReadLimit = TimeSpan.FromSeconds(5);

    /// <summary>The last milestone reading, shared by every viewer (replaced whole, so readers never see it half-written).</summary>
    volatile MilestoneReading? milestones;

    sealed record MilestoneReading(DateTimeOffset ReadAt, IReadOnlyList<MilestoneView> Views);

    public async Task<DashboardView> ReadAsync(string? viewer, CancellationToken cancellationToken)
    {
        var conductor = await client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true, cancellationToken);
        var jobList = await JobsAsync(cancellationToken);
        var decisions = (await desk.ListOpenAsync(cancellationToken))
            .Select(d => new DecisionView(d.Key, d.Status, access.MayDecide(viewer, d.Status.Request)))
            .ToList();
        return new DashboardView(
            QueueOf(conductor),
            conductor?.ReadInputAs<ConductorRound>()?.Number,
            await IssuesAsync(cancellationToken),
            jobList,
            decisions,
            await FailuresAsync(cancellationToken),
            RunnersOf(jobList, await PresencesAsync(cancellationToken)),
            await MilestonesAsync(conductor, cancellationToken),
            await VoiceAsync(cancellationToken),
            clock.GetUtcNow().UtcDateTime);
    }

    static QueueView? QueueOf(OrchestrationMetadata? conductor) =>
        conductor?.SerializedCustomStatus is null || conductor.ReadCustomStatusAs<ConductorStatus>() is not { } status
            ? null
            : new QueueView(status.Round, status.Running, status.Started, status.Waiting, status.Cycles);

    /// <summary>How many spoken requests the dashboard lists at most.</summary>
    const int VoiceShown = 20;

    async Task<List<VoiceRequestView>> VoiceAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = VoiceIds.InstanceIdPrefix,
            CreatedFrom = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1),
            FetchInputsAndOutputs = true,
        };
        var requests = new List<VoiceRequestView>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.ReadInputAs<VoiceRequest>() is not { } request) continue;
            var status = (instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<VoiceStatus>()) ?? new VoiceStatus(request.Id, []);
            requests.Add(new VoiceRequestView(request.Id, request.SubmittedBy, request.SubmittedAt, status));
        }
        return requests.OrderByDescending(r => r.At).Take(VoiceShown).ToList();
    }

    async Task<List<IssueView>> IssuesAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = ConductorEvents.IssueInstanceIdPrefix,
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
            FetchInputsAndOutputs = true,
        };
        var issues = new List<IssueView>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.ReadInputAs<IssueRef>() is not { } issue) continue;
            var status = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<IssueStatus>();
            issues.Add(new IssueView(issue, status?.Stage ?? "claiming", status?.Agent ?? "", status?.PullRequest,
                status?.AgentAttempts ?? 0, status?.ReviewRounds ?? 0));
        }
        return issues.OrderBy(i => i.Issue).ToList();
    }

    async Task<List<JobView>> JobsAsync(CancellationToken cancellationToken) =>
        (await jobs.ListAsync(cancellationToken))
        .Select(j => new JobView(j.JobId, new IssueRef(OwnerOf(j.Repository), RepoOf(j.Repository), j.IssueNumber), j.Role, j.Agent,
            j.State, j.Offer, j.RunnerId, j.LeaseExpiresAt, jobs.RecentLogs(j.JobId).TakeLast(LogLinesShown).ToList()))
        .ToList();

    /// <summary>Every runner seen asking for work (<see cref="RunnerPresenceOrchestration"/>) within the last day, and every
    /// runner holding a job. Its last heartbeat is the later of its last poll and its newest lease's grant or renewal (the
    /// lease's end less its length): a runner busy with a long job polls less.</summary>
    List<RunnerView> RunnersOf(IReadOnlyList<JobView> jobList, IReadOnlyList<RunnerPresence> presences)
    {
        var lease = runners.Value.JobLease;
        var running = jobList.Where(j => j.RunnerId is not null && j.State == AgentJobState.Running)
            .GroupBy(j => j.RunnerId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var seen = presences.ToDictionary(p => p.RunnerId, p => p.LastSeen, StringComparer.Ordinal);
        return running.Keys.Union(seen.Keys, StringComparer.Ordinal)
            .Select(id =>
            {
                var parts = id.Split('.');
                var jobs = running.GetValueOrDefault(id) ?? [];
                DateTime? expires = jobs.Count == 0 ? null : jobs.Max(j => j.LeaseExpiresAt);
                DateTime? beat = Later(expires - lease, seen.TryGetValue(id, out var polled) ? polled : null);
                return new RunnerView(id, parts[0], parts.Length == 3 ? parts[1].Split('+') : [], jobs.Select(j => j.JobId).ToList(), beat, expires);
            })
            .OrderBy(r => r.RunnerId, StringComparer.Ordinal)
            .ToList();
    }

    async Task<List<RunnerPresence>> PresencesAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = RunnerPresenceOrchestration.InstanceIdPrefix,
            FetchInputsAndOutputs = true,
        };
        var since = (clock.GetUtcNow() - FailureWindow).UtcDateTime;
        var presences = new List<RunnerPresence>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            if (instance.SerializedCustomStatus is not null && instance.ReadCustomStatusAs<RunnerPresence>() is { LastSeen: var seen } presence && seen >= since)
                presences.Add(presence);
        return presences;
    }

    static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>Agent jobs that ended in a classified failure, and issue or job orchestrations that failed outright,
    /// created within the last day.</summary>
    async Task<List<FailureClassView>> FailuresAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - FailureWindow;
        var failures = new List<(string Class, FailureView Failure)>();
        foreach (var prefix in new[] { AgentJobEvents.JobIdPrefix, ConductorEvents.IssueInstanceIdPrefix })
        {
            var query = new OrchestrationQuery
            {
                InstanceIdPrefix = prefix,
                CreatedFrom = since,
                Statuses = [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed],
                FetchInputsAndOutputs = true,
            };
            await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
                if (FailureOf(instance) is { } failure) failures.Add(failure);
        }
        return failures.GroupBy(f => f.Class, StringComparer.Ordinal)
            .Select(g => new FailureClassView(g.Key,
                g.Select(f => f.Failure).OrderByDescending(f => f.At).Take(FailuresShownPerClass).ToList(), g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Class, StringComparer.Ordinal)
            .ToList();
    }

    static (string Class, FailureView Failure)? FailureOf(OrchestrationMetadata instance)
    {
        var at = instance.LastUpdatedAt.UtcDateTime;
        if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
        {
            var issue = instance.InstanceId.StartsWith(ConductorEvents.IssueInstanceIdPrefix, StringComparison.Ordinal)
                ? instance.ReadInputAs<IssueRef>()
                : instance.ReadInputAs<AgentJobInput>()?.Request.Issue;
            var detail = instance.FailureDetails is { } f ? $"{f.ErrorType}: {f.ErrorMessage}" : "failed";
            return ("OrchestrationFailed", new FailureView(instance.InstanceId, issue, Shorten(detail), at));
        }
        if (!instance.InstanceId.StartsWith(AgentJobEvents.JobIdPrefix, StringComparison.Ordinal)) return null;
        if (instance.ReadOutputAs<AgentOutcome>() is not { Kind: AgentOutcomeKind.Failed } outcome) return null;
        var job = instance.ReadInputAs<AgentJobInput>();
        return (outcome.FailureClass ?? "Unknown", new FailureView(instance.InstanceId, job?.Request.Issue, Shorten(outcome.Summary ?? "failed"), at));
    }

    /// <summary>Open milestones the conductor tracks, read from GitHub at most every <see cref="MilestonesKeptFor"/> (every
    /// open page polls) and within <see cref="MilestoneReadLimit"/> (a slow GitHub must not stall the page); one that cannot
    /// be read shows why, and the rest of the page still renders.</summary>
    async Task<IReadOnlyList<MilestoneView>> MilestonesAsync(OrchestrationMetadata? conductor, CancellationToken cancellationToken)
    {
        var tracked = (conductor?.ReadInputAs<ConductorRound>()?.Milestones ?? [])
            .OrderBy(m => m.Repository, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Number).ToList();
        var now = clock.GetUtcNow();
        if (milestones is { } kept && now - kept.ReadAt < MilestonesKeptFor && kept.Views.Select(v => v.Milestone).SequenceEqual(tracked))
            return kept.Views;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(MilestoneReadLimit);
        var views = new List<MilestoneView>();
        foreach (var milestone in tracked)
        {
            try
            {
                var read = await github.GetMilestoneAsync(OwnerOf(milestone.Repository), RepoOf(milestone.Repository), milestone.Number,
                    limit.Token);
                views.Add(new MilestoneView(milestone, read.Title, read.OpenIssues, read.ClosedIssues, null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DashboardLog.MilestoneUnreadable(logger, milestone.Repository, milestone.Number, e.GetType().Name);
                views.Add(new MilestoneView(milestone, null, 0, 0, "could not be read from GitHub"));
            }
        }
        milestones = new MilestoneReading(now, views);
        return views;
    }

    static string OwnerOf(string repository) => repository.Split('/')[0];

    static string RepoOf(string repository) => repository.Split('/') is [_, var repo, ..] ? repo : repository;

    static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Baton.Failures;

namespace Baton.Activities.Conductor;

/// <summary>
/// Reads the board for one planning round: every open approved issue of the managed repositories with its
/// blockers and approval time, plus the issue work already running. Every GitHub read is conditional (ETag), so a
/// round where nothing changed costs no rate limit.
/// </summary>
public sealed class ReadBoard(GitHubClient github, DurableTaskClient durable, IOptions<ConductorOptions> options)
    : TaskActivity<object?, BoardReading>
{
    static readonly OrchestrationRuntimeStatus[] Live =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    public override async Task<BoardReading> RunAsync(TaskActivityContext context, object? input)
    {
        var settings = options.Value;
        var issues = new Dictionary<IssueRef, BoardIssue>();
        foreach (var repository in settings.Repositories)
        {
            var (owner, repo) = SplitRepository(repository);
            foreach (var issue in await github.ListIssuesAsync(owner, repo, [BoardLabels.Approved], GitHubIssueState.Open, CancellationToken.None))
            {
                if (issue.IsPullRequest) continue;
                var reference = new IssueRef(owner, repo, issue.Number);
                var blockers = await github.ListBlockedByAsync(owner, repo, issue.Number, CancellationToken.None);
                var approvedAt = await github.FindLabelAddedAtAsync(owner, repo, issue.Number, BoardLabels.Approved, CancellationToken.None);
                issues[reference] = ToBoardIssue(reference, issue, approvedAt, blockers.Select(RefOf).ToList());
                // Blockers are known by their state even when they are not approved or live in another repository.
                foreach (var blocker in blockers)
                    issues.TryAdd(RefOf(blocker), ToBoardIssue(RefOf(blocker), blocker, null, []));
            }
        }
        var limits = settings.RepositoryLimits
            .Where(l => !string.IsNullOrWhiteSpace(l.Repository))
            .GroupBy(l => l.Repository.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Min(l => l.Capacity), StringComparer.OrdinalIgnoreCase);
        return new BoardReading(issues.Values.ToList(), settings.Capacity, limits,
            await RunningIssuesAsync(CancellationToken.None), settings.SweepSchedule);
    }

    /// <summary>The issues whose orchestration is live: the durable record, not a label, says what holds a slot.</summary>
    async Task<IReadOnlyList<IssueRef>> RunningIssuesAsync(CancellationToken cancellationToken)
    {
        var running = new List<IssueRef>();
        var live = durable.GetAllInstancesAsync(new OrchestrationQuery
            { InstanceIdPrefix = "issue:", Statuses = Live, PageSize = 500, FetchInputsAndOutputs = true });
        await foreach (var instance in live.WithCancellation(cancellationToken))
            running.Add(instance.ReadInputAs<IssueRef>()!);
        return running;
    }

    static BoardIssue ToBoardIssue(IssueRef reference, GitHubIssue issue, DateTimeOffset? approvedAt, IReadOnlyList<IssueRef> blockedBy) =>
        new(reference, issue.State == "open", issue.Labels.Select(l => l.Name).ToList(), approvedAt, issue.Milestone?.Title, blockedBy,
            issue.Milestone?.Number);

    /// <summary>An issue's reference from its <c>repository_url</c> (…/repos/{owner}/{repo}).</summary>
    static IssueRef RefOf(GitHubIssue issue)
    {
        var parts = issue.RepositoryUrl.TrimEnd('/').Split('/');
        return new IssueRef(parts[^2], parts[^1], issue.Number);
    }

    public static (string Owner, string Repo) SplitRepository(string repository)
    {
        var parts = repository.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts.Any(string.IsNullOrEmpty))
            throw new ClassifiedFailureException(FailureClass.Permanent, $"'{repository}' is not an owner/repo repository name.");
        return (parts[0], parts[1]);
    }
}

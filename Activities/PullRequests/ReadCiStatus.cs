using Baton.Activities.GitHub;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>The combined state of every check run on one head commit: pending while any runs, failure if any failed,
/// success when all passed, none when nothing reported yet. Webhooks only tell the pipeline when to look; this read
/// is what it decides on (and its fallback when a webhook is lost).</summary>
public sealed class ReadCiStatus(GitHubClient github) : TaskActivity<CiQuery, CiStatus>
{
    static readonly HashSet<string> Red = new(StringComparer.OrdinalIgnoreCase)
        { "failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale" };

    public override async Task<CiStatus> RunAsync(TaskActivityContext context, CiQuery query)
    {
        var (owner, repo) = query.Repository.Split('/') is [var o, var r] ? (o, r) : throw new ArgumentException("owner/repo expected");
        var runs = await github.ListCheckRunsAsync(owner, repo, query.HeadSha, CancellationToken.None);
        return Combine(runs);
    }

    public static CiStatus Combine(IReadOnlyList<GitHubCheckRun> runs)
    {
        if (runs.Count == 0) return new CiStatus(CiStatus.None, []);
        var failures = runs.Where(r => r.Conclusion is { } c && Red.Contains(c))
            .Select(r => $"Check '{r.Name}' concluded {r.Conclusion}." + (r.Output is { } o ? $" {o.Title}: {o.Summary}".TrimEnd(' ', ':') : ""))
            .ToList();
        if (failures.Count > 0) return new CiStatus(CiStatus.Failure, failures);
        return runs.Any(r => !string.Equals(r.Status, "completed", StringComparison.OrdinalIgnoreCase))
            ? new CiStatus(CiStatus.Pending, [])
            : new CiStatus(CiStatus.Success, []);
    }
}

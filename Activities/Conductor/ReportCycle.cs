using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.Conductor;

/// <summary>Comments once on every issue of a dependency cycle, naming the whole cycle (a marker keeps it to one comment).</summary>
public sealed class ReportCycle(GitHubClient github) : TaskActivity<DependencyCycle, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, DependencyCycle cycle)
    {
        var members = string.Join(", ", cycle.Issues.Select(i => i.ToString()));
        var key = "cycle:" + string.Join("+", cycle.Issues.Select(i => i.ToString()));
        var body = $"Baton cannot start this issue: its blockers form a cycle ({members}). " +
                   "Remove one of the blocked-by links to break it; the rest of the queue carries on.";
        var created = 0;
        foreach (var issue in cycle.Issues)
        {
            var comment = await github.CreateCommentOnceAsync(issue.Owner, issue.Repo, issue.Number, key, body, CancellationToken.None);
            if (comment.Created) created++;
        }
        return created;
    }
}

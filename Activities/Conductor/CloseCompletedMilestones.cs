using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.Conductor;

/// <summary>
/// Closes each open milestone whose issues are all closed and returns the ones it closed (or found already closed
/// by a person). Reads are conditional, so an unchanged milestone costs no rate limit; closing twice is harmless.
/// </summary>
public sealed class CloseCompletedMilestones(GitHubClient github) : TaskActivity<IReadOnlyList<MilestoneRef>, IReadOnlyList<CompletedMilestone>>
{
    public override async Task<IReadOnlyList<CompletedMilestone>> RunAsync(TaskActivityContext context, IReadOnlyList<MilestoneRef> milestones)
    {
        var completed = new List<CompletedMilestone>();
        foreach (var milestone in milestones)
        {
            var (owner, repo) = ReadBoard.SplitRepository(milestone.Repository);
            var current = await github.GetMilestoneAsync(owner, repo, milestone.Number, CancellationToken.None);
            if (current.OpenIssues > 0 || current.ClosedIssues == 0) continue;
            if (current.State == "open")
                current = await github.UpdateMilestoneAsync(owner, repo, milestone.Number, new MilestoneUpdate(State: "closed"), CancellationToken.None);
            completed.Add(new CompletedMilestone(milestone, current.Title, current.ClosedIssues));
        }
        return completed;
    }
}

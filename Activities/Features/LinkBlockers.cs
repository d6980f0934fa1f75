using Baton.Activities.GitHub;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Activities.Features;

/// <summary>Makes an issue blocked by each of its planned blockers with GitHub's native relationship, adding only the links
/// that are missing. Safe to repeat. Returns how many it added.</summary>
public sealed class LinkBlockers(GitHubClient github) : TaskActivity<BlockerLinks, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, BlockerLinks links)
    {
        var (owner, repo) = EnsureFeatureMilestone.Split(links.Issue.Repository);
        var present = (await github.ListBlockedByAsync(owner, repo, links.Issue.Number, CancellationToken.None)).Select(i => i.Id).ToHashSet();
        var added = 0;
        foreach (var blocker in links.Blockers.Where(b => !present.Contains(b.Id)))
        {
            await github.AddBlockedByAsync(owner, repo, links.Issue.Number, blocker.Id, CancellationToken.None);
            added++;
        }
        return added;
    }
}

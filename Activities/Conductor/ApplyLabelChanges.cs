using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.Conductor;

/// <summary>Adds and removes the labels the planner decided on (e.g. <c>blocked</c>). Check-then-act: safe to repeat.</summary>
public sealed class ApplyLabelChanges(GitHubClient github) : TaskActivity<IReadOnlyList<LabelChange>, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, IReadOnlyList<LabelChange> changes)
    {
        var applied = 0;
        foreach (var change in changes)
        {
            var (owner, repo, number) = (change.Issue.Owner, change.Issue.Repo, change.Issue.Number);
            var changed = change.Action == LabelAction.Add
                ? await github.EnsureLabelAsync(owner, repo, number, change.Label, CancellationToken.None)
                : await github.RemoveLabelAsync(owner, repo, number, change.Label, CancellationToken.None);
            if (changed) applied++;
        }
        return applied;
    }
}

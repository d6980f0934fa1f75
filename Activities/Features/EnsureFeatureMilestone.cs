using Baton.Activities.GitHub;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Activities.Features;

/// <summary>The feature's milestone in one repository: the one whose description carries the feature's marker, else a new
/// one. Safe to repeat.</summary>
public sealed class EnsureFeatureMilestone(GitHubClient github) : TaskActivity<FeatureMilestoneSpec, FeatureMilestone>
{
    public override async Task<FeatureMilestone> RunAsync(TaskActivityContext context, FeatureMilestoneSpec spec)
    {
        var (owner, repo) = Split(spec.Repository);
        var existing = (await github.ListMilestonesAsync(owner, repo, CancellationToken.None))
            .FirstOrDefault(m => m.Description?.Contains(spec.Marker, StringComparison.Ordinal) == true);
        var milestone = existing ?? await github.CreateMilestoneAsync(owner, repo, spec.Title, spec.Description, CancellationToken.None);
        return new FeatureMilestone(spec.Repository, milestone.Number, milestone.HtmlUrl);
    }

    internal static (string Owner, string Repo) Split(string repository) =>
        repository.Split('/') is [var owner, var repo] ? (owner, repo) : throw new ArgumentException($"'{repository}' is not owner/repo.", nameof(repository));
}

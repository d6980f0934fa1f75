using Baton.Orchestrations.Conductor;

namespace Baton.Functions.Dashboard;

/// <summary>Links into GitHub's web pages under <see cref="DashboardOptions.OAuthUrl"/> (github.com, an Enterprise
/// Server, or the emulator).</summary>
public sealed class WebLinks(Uri root)
{
    readonly string root = root.ToString().TrimEnd('/');

    public Uri Root => new(root + "/");

    public string Issue(IssueRef issue) => $"{root}/{issue.Repository}/issues/{issue.Number}";

    public string PullRequest(string repository, int number) => $"{root}/{repository}/pull/{number}";

    public string Milestone(MilestoneRef milestone) => $"{root}/{milestone.Repository}/milestone/{milestone.Number}";
}

using Baton.Activities.GitHub;
using Baton.Orchestrations.Pipeline;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>Decides whether the pull request needs a person (docs/gates.md): the server's gate rules merged with the
/// repository's <c>.baton.yml</c> read from the base branch (never from the pull request itself, which could loosen
/// its own rules), applied to the pull request's files.</summary>
public sealed class DecideGates(GitHubClient github, IOptions<GateOptions> options) : TaskActivity<GateQuery, GateOutcome>
{
    public override async Task<GateOutcome> RunAsync(TaskActivityContext context, GateQuery query)
    {
        var (owner, repo) = (query.Issue.Owner, query.Issue.Repo);
        var ct = CancellationToken.None;
        var batonYml = await github.GetFileContentAsync(owner, repo, RepositoryGateConfig.FileName, query.BaseBranch, ct);
        var policy = GateRules.Policy(options.Value, batonYml);
        var files = await github.ListPullRequestFilesAsync(owner, repo, query.PullRequest, ct);
        var decision = GateRules.Decide(files.Select(ChangedFile.From).ToList(), policy);
        var approvers = policy.Approvers.Concat(query.Approvers).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new GateOutcome(decision.IsGated, decision.Classes.Select(c => c.Name()).ToList(), decision.Describe(), approvers);
    }
}

using Baton.Orchestrations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Jira;

/// <summary>Reads a feature's Jira issue (REST v3, its ADF description as text) with its project's target repositories.</summary>
public sealed class ReadFeature(JiraClient jira, IOptions<JiraOptions> options) : TaskActivity<FeatureRequest, FeatureBrief>
{
    public override async Task<FeatureBrief> RunAsync(TaskActivityContext context, FeatureRequest feature)
    {
        var project = options.Value.ProjectFor(feature.ProjectKey)
            ?? throw new Baton.Failures.ClassifiedFailureException(Baton.Failures.FailureClass.Permanent,
                $"Jira project {feature.ProjectKey} has no Jira__Projects__{feature.ProjectKey}__Repository.");
        var issue = await jira.GetIssueAsync(feature.IssueKey, CancellationToken.None);
        return new FeatureBrief(issue.Key, issue.Fields.Summary ?? issue.Key, issue.DescriptionText, project.Repositories,
            jira.BrowseUri(issue.Key).ToString());
    }
}

using System.Text.Json.Nodes;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Activities.Jira;

/// <summary>Tells the Jira issue what was created: a comment (ADF) listing the plan's issues with links — once, by its
/// marker — and a remote link to each milestone (Jira updates a link with the same global id). Safe to repeat.</summary>
public sealed class ReportFeaturePlan(JiraClient jira) : TaskActivity<FeaturePlanReport, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FeaturePlanReport report)
    {
        var key = report.Brief.IssueKey;
        foreach (var milestone in report.Milestones.Where(m => m.HtmlUrl is not null))
            await jira.AddRemoteLinkAsync(key, $"baton:milestone:{milestone.Repository}:{milestone.Number}", milestone.HtmlUrl!,
                $"GitHub milestone {milestone.Repository} #{milestone.Number}: {FeatureRules.MilestoneTitle(report.Brief)}", CancellationToken.None);
        return await jira.EnsureCommentAsync(key, FeatureRules.JiraMarker(key), Comment(report), CancellationToken.None);
    }

    static JsonObject Comment(FeaturePlanReport report)
    {
        var byId = report.Issues.ToDictionary(i => i.PlanId);
        var items = report.Plan.Issues.Select(planned => (IEnumerable<JsonNode>)
        [
            Link(byId[planned.Id].HtmlUrl, $"{planned.Repository}#{byId[planned.Id].Number}"),
            Adf.Text($" {planned.Title} ({planned.Priority}{(planned.DependsOn.Count > 0 ? $", after {string.Join(", ", planned.DependsOn)}" : "")})"),
        ]);
        var opening = new List<JsonNode> { Adf.Text($"Baton planned this feature as {report.Issues.Count} GitHub issue(s), approved and created in ") };
        foreach (var (milestone, i) in report.Milestones.Select((m, i) => (m, i)))
        {
            if (i > 0) opening.Add(Adf.Text(", "));
            opening.Add(Link(milestone.HtmlUrl, $"milestone {milestone.Repository} #{milestone.Number}"));
        }
        opening.Add(Adf.Text("."));
        return Adf.Document(Adf.Paragraph(opening), Adf.BulletList(items), Adf.Paragraph(Adf.Text(FeatureRules.JiraMarker(report.Brief.IssueKey))));
    }

    static JsonNode Link(string? url, string text) => url is null ? Adf.Text(text) : Adf.Link(text, url);
}

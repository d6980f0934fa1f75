using System.Text.Json;
using Baton.Activities.Jira;
using Baton.Orchestrations.Voice;
using Baton.Tests.Jira;

namespace Baton.Tests.Voice;

/// <summary>The ticket a spoken request becomes, filed over real HTTP in the Jira emulator, once however often it runs.</summary>
public sealed class CreateVoiceTicketTests
{
    const string Id = "fedcba9876543210fedcba9876543210";

    static VoiceTicketSpec Spec(IReadOnlyList<string>? open = null) => new(
        Id, VoiceIntentRules.Validate(VoiceIntents.Clear, VoiceIntents.Settings, null).Intent!,
        "Add a dark mode toggle to the settings page, high priority.",
        [new VoiceClarification(["Which page?"], "The settings page.", "ada")], open ?? [], "ada", new DateTime(2026, 12, 3, 9, 30, 0, DateTimeKind.Utc));

    [Fact]
    public async Task The_ticket_is_filed_once_with_its_labels_criteria_answers_and_transcript()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var activity = new CreateVoiceTicket(jira.Client);

        var first = await activity.RunAsync(null!, Spec(["Which colour?"]));
        var again = await activity.RunAsync(null!, Spec(["Which colour?"]));

        Assert.Equal(first, again);
        Assert.Equal(jira.Client.BrowseUri(first.Key).ToString(), first.Url);
        var issue = jira.Emulator.Issue(first.Key)!;
        Assert.Equal("SHOP", issue.ProjectKey);
        Assert.Equal("Add a dark mode toggle to the settings page", issue.Summary);
        Assert.Equal([VoiceIntentRules.VoiceLabel, VoiceIntentRules.TicketLabel(Id)], issue.Labels);
        Assert.Single(jira.Emulator.Requests, r => r.StartsWith("POST /rest/api/3/issue", StringComparison.Ordinal) && !r.Contains("comment", StringComparison.Ordinal));
        var text = Adf.ToText(JsonDocument.Parse(issue.Description.ToJsonString()).RootElement);
        foreach (var part in new[] { "A toggle on the settings page switches the theme", "Which colour?", "Answered by ada", "The settings page.",
                     "Add a dark mode toggle to the settings page, high priority.", "Requested by voice by ada on 2026-12-03 09:30 UTC; priority high" })
            Assert.Contains(part, text, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"blockquote\"", issue.Description.ToJsonString(), StringComparison.Ordinal);
    }
}

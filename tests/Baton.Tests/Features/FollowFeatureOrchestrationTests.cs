using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Notifications;
using Baton.Orchestrations.Features;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Features;

/// <summary>Jira hears back, on a mocked SDK context: "in progress" once when the first issue is claimed, "done" with the
/// merged pull requests when the milestones close, a missing transition reported once; between rounds a timer, then
/// continue-as-new.</summary>
public sealed class FollowFeatureOrchestrationTests
{
    static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    static readonly TimeSpan Poll = TimeSpan.FromMinutes(5);

    static readonly FeatureFollowUp FollowUp = new("SHOP-1", "SHOP",
        [new FeatureMilestone("acme/shop", 2, "https://github.example/acme/shop/milestone/2")],
        [new CreatedIssue("api", "acme/shop", 10, 1010, null), new CreatedIssue("page", "acme/shop", 11, 1011, null)]);

    static readonly MergedPullRequest Pull = new("acme/shop", 12, "Add the API", "https://github.example/acme/shop/pull/12");

    static (MockOrchestrationContext Context, OrchestrationRun<FeatureFollowUpResult?> Run) Follow(
        FeatureFollowUp followUp, FeatureProgress progress, JiraMoveResult move = JiraMoveResult.Moved)
    {
        var context = new MockOrchestrationContext(nameof(FollowFeatureOrchestration), FollowFeatureOrchestration.InstanceIdFor("SHOP-1"), Start)
            .OnActivity(nameof(ReadFeatureProgress), (FeatureFollowUp _) => progress)
            .OnActivity(nameof(TransitionJiraIssue), (JiraStageChange _) => move)
            .OnActivity(nameof(SendNotification), (Notification _) => true);
        return (context, context.Start(new FollowFeatureOrchestration(), followUp));
    }

    static IReadOnlyList<JiraStageChange> Moves(MockOrchestrationContext context) =>
        [.. context.Calls.Where(c => c.Name == nameof(TransitionJiraIssue)).Select(c => c.InputAs<JiraStageChange>())];

    [Fact]
    public void Nothing_claimed_yet_waits_and_continues_as_new()
    {
        var (context, run) = Follow(FollowUp, new FeatureProgress(false, false, [], Poll));

        Assert.Empty(Moves(context));
        Assert.Equal([Start + Poll], context.PendingTimers);
        context.AdvanceTime(Poll);
        Assert.Null(run.Output);
        var carried = Assert.IsType<FeatureFollowUp>(context.ContinuedAsNew?.NewInput);
        Assert.Equal((1, false), (carried.Polls, carried.StartedReported));
        Assert.Equal(FollowUp.Issues, carried.Issues);
    }

    [Fact]
    public void The_first_claim_moves_Jira_to_in_progress_once()
    {
        var (context, _) = Follow(FollowUp, new FeatureProgress(true, false, [], Poll));
        context.AdvanceTime(Poll);
        var carried = Assert.IsType<FeatureFollowUp>(context.ContinuedAsNew?.NewInput);

        var (again, _) = Follow(carried, new FeatureProgress(true, false, [], Poll));

        Assert.Equal([JiraStage.InProgress], Moves(context).Select(m => m.Stage));
        Assert.True(carried.StartedReported);
        Assert.Empty(Moves(again));
    }

    [Fact]
    public void Completion_moves_Jira_to_done_with_the_merged_pull_requests()
    {
        var (context, run) = Follow(FollowUp with { StartedReported = true }, new FeatureProgress(true, true, [Pull], Poll));

        var done = Assert.Single(Moves(context));
        Assert.Equal(JiraStage.Done, done.Stage);
        Assert.Contains("acme/shop#12 Add the API: https://github.example/acme/shop/pull/12", done.Comment, StringComparison.Ordinal);
        Assert.Equal(FeatureRules.DoneMarker("SHOP-1"), done.CommentMarker);
        Assert.Equal(new FeatureFollowUpResult("SHOP-1", JiraMoveResult.Moved, 1), run.Output);
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_missing_transition_is_reported_once_and_not_retried()
    {
        var (context, _) = Follow(FollowUp, new FeatureProgress(true, false, [], Poll), JiraMoveResult.Missing);
        context.AdvanceTime(Poll);
        var carried = Assert.IsType<FeatureFollowUp>(context.ContinuedAsNew?.NewInput);
        var (next, _) = Follow(carried, new FeatureProgress(true, false, [], Poll), JiraMoveResult.Missing);

        var notice = Assert.Single(context.Calls, c => c.Name == nameof(SendNotification)).InputAs<Notification>();
        Assert.Equal("jira-transition-missing", notice.Kind);
        Assert.Contains("Jira__Projects__SHOP__InProgressStatus", notice.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(next.CallNames, n => n is nameof(TransitionJiraIssue) or nameof(SendNotification));
    }
}

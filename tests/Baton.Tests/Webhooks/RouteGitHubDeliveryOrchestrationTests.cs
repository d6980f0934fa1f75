using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>Routing one GitHub delivery, on a mocked SDK context: the events <see cref="DeliverySignals"/> implies, sent at
/// the context's time, and their count.</summary>
public sealed class RouteGitHubDeliveryOrchestrationTests
{
    static readonly DateTime Now = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);

    static GitHubDelivery Delivery(string gitHubEvent, string? action, int? issue = 7, string? sender = "octocat") =>
        new("d-1", gitHubEvent, action, GitHubRoutes.Route(gitHubEvent, action), "acme/app", issue, null, sender);

    static (int Count, IReadOnlyList<SentEvent> Sent) Route(GitHubDelivery delivery)
    {
        var context = new MockOrchestrationContext(nameof(RouteGitHubDeliveryOrchestration),
            RouteGitHubDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId), Now);
        var run = context.Start(new RouteGitHubDeliveryOrchestration(), delivery);
        Assert.Empty(context.Calls);
        return (run.Output, context.SentEvents);
    }

    [Fact]
    public void A_board_change_wakes_the_conductor_with_the_contexts_time()
    {
        var (count, sent) = Route(Delivery(GitHubEvent.Issues, GitHubAction.Labeled));

        Assert.Equal(1, count);
        var wake = Assert.Single(sent);
        Assert.Equal((ConductorEvents.ConductorInstanceId, ConductorEvents.Wake), (wake.InstanceId, wake.Name));
        var payload = Assert.IsType<ConductorWake>(wake.Payload);
        Assert.Equal(("issues.labeled acme/app#7", Now), (payload.Reason, payload.SentAt));
    }

    [Fact]
    public void A_closed_issue_wakes_the_conductor_and_ends_the_issues_own_orchestration()
    {
        var (count, sent) = Route(Delivery(GitHubEvent.Issues, GitHubAction.Closed));

        Assert.Equal(2, count);
        Assert.Equal([(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake), ("issue:acme/app#7", ConductorEvents.IssueClosed)],
            sent.Select(e => (e.InstanceId, e.Name)));
        Assert.Equal("octocat", sent[1].Payload);
    }

    [Fact]
    public void A_completed_check_suite_on_a_baton_branch_signals_ci_to_that_issue()
    {
        var delivery = Delivery(GitHubEvent.CheckSuite, GitHubAction.Completed, issue: null) with
        {
            Pipeline = new PipelineFacts(HeadBranch: "baton/12-add-login", HeadSha: "abc123", Conclusion: "failure"),
        };

        var (count, sent) = Route(delivery);

        Assert.Equal(1, count);
        var ci = Assert.Single(sent);
        Assert.Equal(("issue:acme/app#12", PipelineEvents.CiCompleted), (ci.InstanceId, ci.Name));
        Assert.Equal(new CiSignal("abc123", "failure"), ci.Payload);
    }

    [Fact]
    public void A_review_on_a_baton_pull_request_signals_the_issue_with_who_reviewed_which_commit()
    {
        var delivery = Delivery(GitHubEvent.PullRequestReview, GitHubAction.Submitted, issue: 40, sender: "alice") with
        {
            Pipeline = new PipelineFacts(HeadBranch: "baton/12-add-login", HeadSha: "def456", ReviewState: "approved", CommitId: "def456"),
        };

        var (count, sent) = Route(delivery);

        Assert.Equal(1, count);
        var review = Assert.Single(sent);
        Assert.Equal(("issue:acme/app#12", PipelineEvents.ReviewSubmitted), (review.InstanceId, review.Name));
        Assert.Equal(new ReviewSignal("alice", "approved", "def456"), review.Payload);
    }

    [Fact]
    public void A_baton_answer_comment_signals_the_answer_to_the_issue_it_was_posted_on()
    {
        var delivery = Delivery(GitHubEvent.IssueComment, GitHubAction.Created, sender: "alice") with
        {
            Pipeline = new PipelineFacts(Answer: "Use GitHub OAuth."),
        };

        var (count, sent) = Route(delivery);

        Assert.Equal(1, count);
        var answer = Assert.Single(sent);
        Assert.Equal(("issue:acme/app#7", PipelineEvents.AnswerPosted), (answer.InstanceId, answer.Name));
        Assert.Equal(new AnswerSignal("alice", "Use GitHub OAuth."), answer.Payload);
    }

    [Fact]
    public void A_delivery_that_concerns_no_orchestration_sends_nothing()
    {
        var (count, sent) = Route(Delivery(GitHubEvent.Ping, null, issue: null));

        Assert.Equal(0, count);
        Assert.Empty(sent);
    }
}

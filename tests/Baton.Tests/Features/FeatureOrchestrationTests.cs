using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Features;

/// <summary>A feature's life on a mocked SDK context: the model is asked until its answer is a plan, a person approves or
/// rejects it (a rejection revises it), and only an approved plan is created on GitHub and reported to Jira.</summary>
public sealed class FeatureOrchestrationTests
{
    static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

    static readonly string[] GitHubSteps = [nameof(EnsureFeatureMilestone), nameof(EnsurePlannedIssue), nameof(LinkBlockers)];

    sealed class Harness
    {
        readonly Queue<string> answers;
        int nextNumber = 10;

        public Harness(params string[] modelAnswers)
        {
            answers = new(modelAnswers);
            Context = new MockOrchestrationContext(nameof(FeatureOrchestration), FeatureOrchestration.InstanceIdFor("SHOP-1"), Start)
                .OnActivity(nameof(ReadFeature), (FeatureRequest _) => FeaturePlans.Brief)
                .OnActivity(nameof(DraftFeaturePlan), (PlanDraftRequest _) => answers.Dequeue())
                .OnActivity(nameof(EnsureFeatureMilestone), (FeatureMilestoneSpec s) =>
                    new FeatureMilestone(s.Repository, s.Repository == "acme/api" ? 1 : 2, $"https://github.example/{s.Repository}/milestone/1"))
                .OnActivity(nameof(EnsurePlannedIssue), (PlannedIssueSpec s) =>
                    new CreatedIssue(s.PlanId, s.Repository, nextNumber, 1000 + nextNumber++, $"https://github.example/{s.Repository}/issues/{nextNumber}"))
                .OnActivity(nameof(LinkBlockers), (BlockerLinks l) => l.Blockers.Count)
                .OnActivity(nameof(AskJiraForApproval), (EscalationRequest _) => true)
                .OnActivity(nameof(ReportFeaturePlan), (FeaturePlanReport _) => true)
                .OnActivity(nameof(StartFeatureFollowUp), (FeatureFollowUp _) => true);
            Run = Context.Start(new FeatureOrchestration(), new FeatureRequest("SHOP-1", "SHOP"));
        }

        public MockOrchestrationContext Context { get; }

        public OrchestrationRun<FeatureOutcome> Run { get; }

        public SubOrchestrationCall Pending => Context.SubOrchestrations.Single(s => !s.IsDone);

        public void Answer(string action, string? text = null) =>
            Assert.True(Context.CompleteSubOrchestration(Pending.InstanceId, new EscalationOutcome(action, text, "ada", "dashboard", Start)));

        public IReadOnlyList<PlanDraftRequest> Drafts => [.. Context.Calls.Where(c => c.Name == nameof(DraftFeaturePlan)).Select(c => c.InputAs<PlanDraftRequest>())];
    }

    [Fact]
    public void An_invalid_answer_is_retried_with_its_errors_and_nothing_is_created_before_approval()
    {
        var feature = new Harness("{\"issues\": \"soon\"}", FeaturePlans.Valid);

        Assert.Equal(2, feature.Drafts.Count);
        Assert.NotEmpty(feature.Drafts[1].Errors);
        Assert.Empty(feature.Drafts[0].Errors);
        var approval = feature.Pending.InputAs<EscalationRequest>();
        Assert.Equal(("plan", nameof(EscalationOrchestration)), (approval.Kind, feature.Pending.Name));
        Assert.StartsWith(EscalationIds.InstanceIdPrefix, feature.Pending.InstanceId, StringComparison.Ordinal);
        Assert.DoesNotContain(feature.Context.CallNames, GitHubSteps.Contains);
        Assert.Equal(approval.Title, feature.Context.Calls.Single(c => c.Name == nameof(AskJiraForApproval)).InputAs<EscalationRequest>().Title);

        feature.Answer(EscalationActions.Approve);

        var outcome = feature.Run.Output;
        Assert.Equal(FeatureState.Created, outcome.State);
        Assert.Equal(["acme/api", "acme/shop"], outcome.Milestones.Select(m => m.Repository));
        Assert.Equal(["api", "page", "emails"], outcome.Issues.Select(i => i.PlanId));
        var links = feature.Context.Calls.Where(c => c.Name == nameof(LinkBlockers)).Select(c => c.InputAs<BlockerLinks>()).ToList();
        Assert.Equal([("page", new[] { 1010L }), ("emails", [1010L, 1011L])], links.Select(l => (l.Issue.PlanId, l.Blockers.Select(b => b.Id).ToArray())));
        var specs = feature.Context.Calls.Where(c => c.Name == nameof(EnsurePlannedIssue)).Select(c => c.InputAs<PlannedIssueSpec>()).ToList();
        Assert.Equal([1, 2, 2], specs.Select(s => s.Milestone));
        Assert.Equal([nameof(ReportFeaturePlan), nameof(StartFeatureFollowUp)], feature.Context.CallNames.TakeLast(2));
        var followUp = feature.Context.Calls[^1].InputAs<FeatureFollowUp>();
        Assert.Equal(("SHOP-1", "SHOP", 3, false), (followUp.IssueKey, followUp.ProjectKey, followUp.Issues.Count, followUp.StartedReported));
    }

    [Fact]
    public void A_rejection_revises_the_plan_with_the_persons_feedback()
    {
        var feature = new Harness(FeaturePlans.Valid, FeaturePlans.Json(("api", "acme/api", [])));

        feature.Answer(EscalationActions.Reject, "One issue is enough.");

        Assert.Equal("One issue is enough.", feature.Drafts[1].Feedback);
        Assert.Contains("\"emails\"", feature.Drafts[1].PreviousPlan, StringComparison.Ordinal);
        Assert.Contains("revision 2", feature.Pending.InputAs<EscalationRequest>().Title, StringComparison.Ordinal);
        Assert.DoesNotContain(feature.Context.CallNames, GitHubSteps.Contains);

        feature.Answer(EscalationActions.Approve);

        Assert.Equal(["api"], feature.Run.Output.Issues.Select(i => i.PlanId));
    }

    [Fact]
    public void Stopping_or_the_timeout_creates_nothing()
    {
        var feature = new Harness(FeaturePlans.Valid);

        feature.Answer(EscalationActions.Stop);

        Assert.Equal(FeatureState.NotApproved, feature.Run.Output.State);
        Assert.Empty(feature.Run.Output.Issues);
        Assert.DoesNotContain(feature.Context.CallNames, n => GitHubSteps.Contains(n) || n == nameof(ReportFeaturePlan) || n == nameof(StartFeatureFollowUp));
    }

    [Fact]
    public void Rejections_are_bounded()
    {
        var feature = new Harness(FeaturePlans.Valid, FeaturePlans.Valid, FeaturePlans.Valid);

        for (var round = 0; round < FeatureRules.MaxApprovalRounds; round++) feature.Answer(EscalationActions.Reject, "no");

        Assert.Equal(FeatureState.NotApproved, feature.Run.Output.State);
        Assert.Equal(FeatureRules.MaxApprovalRounds, feature.Context.SubOrchestrations.Count);
    }

    [Fact]
    public void No_valid_plan_after_the_bounded_attempts_asks_a_person_who_may_guide_a_retry()
    {
        var feature = new Harness("nope", "{}", "[1]", FeaturePlans.Valid);

        var help = feature.Pending.InputAs<EscalationRequest>();
        Assert.Equal((FeatureRules.PlanningFailedKind, 3), (help.Kind, feature.Drafts.Count));
        Assert.Equal(["retry", "stop"], help.Actions);

        feature.Answer(EscalationActions.Retry, "Use the api repository for the backend.");

        Assert.Equal("Use the api repository for the backend.", feature.Drafts[3].Feedback);
        Assert.Equal("plan", feature.Pending.InputAs<EscalationRequest>().Kind);
    }

    [Fact]
    public void No_valid_plan_and_a_stop_ends_it_unplanned()
    {
        var feature = new Harness("nope", "nope", "nope");

        feature.Answer(EscalationActions.Stop);

        Assert.Equal(FeatureState.NotPlanned, feature.Run.Output.State);
        Assert.DoesNotContain(feature.Context.CallNames, GitHubSteps.Contains);
    }
}

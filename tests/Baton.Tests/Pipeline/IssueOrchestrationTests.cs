using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.Notifications;
using Baton.Activities.PullRequests;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Runner.Protocol;
using Baton.Tests.Infrastructure;
using Baton.Failures;

namespace Baton.Tests.Pipeline;

/// <summary>The issue pipeline's decisions (ARCHITECTURE.md §2.2), with every activity scripted on a mocked SDK context:
/// what runs in which order, what feedback the agent gets, when it escalates, and what it never does (merge a
/// gated pull request without an approval on the current head).</summary>
public sealed class IssueOrchestrationTests
{
    static readonly IssueRef Issue = new("acme", "app", 7);
    const string Implementer = "claude-code", Reviewer = "codex";

    [Fact]
    public void The_success_path_claims_implements_opens_the_pr_waits_for_ci_gets_a_review_and_merges()
    {
        var world = new World();

        var result = world.Run();

        Assert.Equal(("merged", 1, 1, false), (result.State, result.AgentAttempts, result.ReviewRounds, result.Gated));
        Assert.Equal("merge-sha", result.MergedSha);
        Assert.Equal([nameof(ClaimIssue), nameof(SendNotification), nameof(QueueAgentJob), nameof(OpenPullRequest), nameof(SendNotification),
            nameof(ReadCiStatus), nameof(QueueAgentJob), nameof(PostReview), nameof(DecideGates), nameof(MergePullRequest)], world.Context.CallNames);
        Assert.Equal(["agent-started", "pr-ready"], world.Told.Select(n => n.Kind));
        Assert.Equal(["Issue acme/app#7"], world.Told[0].Links.Select(l => l.Label));   // no pull request yet
        Assert.Equal([("Issue acme/app#7", "https://github.test/acme/app/issues/7"), ("Pull request #42", "https://github.test/acme/app/pull/42")],
            world.Told[1].Links.Select(l => (l.Label, l.Url)));
        Assert.Empty(world.Escalations);
        Assert.Equal([Implementer, Reviewer], world.Queued.Select(q => q.Request.Agent));
        // Each job has its own instance, and its outcome comes back to this one.
        Assert.Equal(2, world.Queued.Select(q => q.JobId).Distinct().Count());
        Assert.All(world.Queued, q => Assert.Equal((ConductorEvents.IssueInstanceId(Issue), true),
            (q.ReplyTo, q.JobId.StartsWith(AgentJobEvents.JobIdPrefix, StringComparison.Ordinal))));
        var review = world.Jobs(Reviewer).Single();
        Assert.Equal(("review", "codex", "baton/7-add-login"), (review.Role, review.Agent, review.Branch));
        Assert.Equal("sha-1", world.Merges.Single().HeadSha);
        var wake = Assert.Single(world.Context.SentEvents);
        Assert.Equal((ConductorEvents.ConductorInstanceId, ConductorEvents.Wake), (wake.InstanceId, wake.Name));
        Assert.Equal(world.Context.Now, Assert.IsType<ConductorWake>(wake.Payload).SentAt);
        Assert.Equal(("finished", "merged #42 as merge-s"), (world.Status.Stage, world.Status.Outcome));
    }

    [Fact]
    public void Red_ci_sends_the_failing_checks_back_to_the_agent_and_the_fixed_head_merges()
    {
        var world = new World { Ci = ["failure", "success"] };

        var result = world.Run();

        Assert.Equal(("merged", 2, 1), (result.State, result.AgentAttempts, result.SelfHeals));
        var second = world.Jobs(Implementer)[1];
        Assert.Equal(["CI failed on your last push. Fix these checks:", "Check 'ci' concluded failure."], second.Feedback);
        Assert.Equal("sha-2", world.Merges.Single().HeadSha);
        Assert.Single(world.Context.Calls, c => c.Name == nameof(OpenPullRequest));   // the push updates the same PR
    }

    [Fact]
    public void Ci_still_red_after_the_self_heal_cap_escalates_to_a_person_and_never_merges()
    {
        var world = new World { Ci = ["failure"], MaxSelfHeal = 2 };

        var result = world.Run();

        Assert.Equal(("needs-human", 3, 2), (result.State, result.AgentAttempts, result.SelfHeals));
        Assert.Empty(world.Merges);
        var escalation = Assert.Single(world.Escalations);
        Assert.Equal(("ci-red", 42), (escalation.Kind, escalation.PullRequest));
        Assert.Equal([EscalationActions.Retry, EscalationActions.Stop], escalation.Actions);
        Assert.Contains("still red on sha-3 after 2 self-heal attempts", escalation.Body);
        Assert.Equal(3, world.Told.Count(n => n.Kind == "ci-failed"));
    }

    [Fact]
    public void Requested_changes_go_back_to_the_implementer_until_the_reviewer_approves()
    {
        var world = new World { Reviews = ["changes_requested", "approve"] };

        var result = world.Run();

        Assert.Equal(("merged", 2, 2), (result.State, result.AgentAttempts, result.ReviewRounds));
        Assert.Equal(["The reviewer requested changes:", "Handle empty input."], world.Jobs(Implementer)[1].Feedback);
        Assert.Equal(["changes_requested", "approve"], world.Context.Calls.Where(c => c.Name == nameof(PostReview))
            .Select(c => c.InputAs<ReviewPost>().Verdict));
    }

    [Fact]
    public void A_reviewer_that_keeps_requesting_changes_escalates_after_the_round_limit()
    {
        var world = new World { Reviews = ["changes_requested"], MaxReviewRounds = 1 };

        var result = world.Run();

        Assert.Equal(("needs-human", 2), (result.State, result.ReviewRounds));
        Assert.Contains("still requests changes after 2 rounds", Assert.Single(world.Escalations).Body);
        Assert.Empty(world.Merges);
    }

    [Fact]
    public void A_gated_pr_waits_for_an_approval_on_its_head_and_an_old_sha_approval_does_not_count()
    {
        var approvedOn = "sha-0";   // someone approved an older head
        var world = new World { Gated = true, Approval = query => query.HeadSha == approvedOn };
        var run = world.Start();

        Assert.False(run.IsFinished);
        Assert.Empty(world.Merges);
        var gate = Assert.Single(world.Escalations);
        Assert.Equal(("gate", "sha-1"), (gate.Kind, gate.HeadSha));
        Assert.Equal([EscalationActions.Approve, EscalationActions.Reject], gate.Actions);
        Assert.Equal(["pending"], world.GateStatuses.Select(s => s.State));
        Assert.Equal("waiting-for-approval", world.Status.Stage);
        Assert.True(world.Context.IsWaitingFor(PipelineEvents.ReviewSubmitted));

        world.Context.Raise(PipelineEvents.ReviewSubmitted, new ReviewSignal("alice", "approved", "sha-0"));
        Assert.False(run.IsFinished);   // the review webhook woke it, but the approval is not on the head
        Assert.Equal(2, world.Context.Calls.Count(c => c.Name == nameof(CheckApproval)));

        approvedOn = "sha-1";   // an allowed person approves the current head: the review webhook wakes the pipeline
        world.Context.Raise(PipelineEvents.ReviewSubmitted, new ReviewSignal("alice", "approved", "sha-1"));

        Assert.Equal(("merged", true, "sha-1"), (run.Output.State, run.Output.Gated, run.Output.ApprovedSha));
        Assert.Equal("sha-1", world.Merges.Single().HeadSha);
        // The escalation is withdrawn (its Discord message says so), and GitHub's status turns green on that head.
        Assert.Contains(world.Context.SentEvents, e => (e.InstanceId, e.Name) == (world.EscalationIds[0], EscalationEvents.Withdraw));
        Assert.Equal(("success", "sha-1"), (world.GateStatuses[^1].State, world.GateStatuses[^1].HeadSha));
    }

    [Fact]
    public void A_gate_approved_by_a_button_on_its_head_merges_but_a_click_pinned_to_an_older_head_asks_again()
    {
        var world = new World { Gated = true, Approval = _ => false };
        var run = world.Start();

        world.Decide(0, new EscalationOutcome(EscalationActions.Approve, null, "Ada", "discord", world.Context.Now) { HeadSha = "sha-0" });
        Assert.False(run.IsFinished, run.IsFinished ? run.Output.ToString() : "");
        Assert.Equal(2, world.Escalations.Count);   // asked again
        Assert.Contains(world.Told, n => n.Kind == "gate-voided");
        Assert.Empty(world.Merges);

        world.Decide(1, new EscalationOutcome(EscalationActions.Approve, null, "Ada", "discord", world.Context.Now) { HeadSha = "sha-1" });

        Assert.Equal(("merged", "sha-1"), (run.Output.State, run.Output.ApprovedSha));
        Assert.Equal(("success", "Approved by Ada via discord"), (world.GateStatuses[^1].State, world.GateStatuses[^1].Description));
    }

    [Fact]
    public void A_rejected_gate_closes_the_pull_request_with_the_reason_and_never_merges()
    {
        var world = new World { Gated = true, Approval = _ => false };
        var run = world.Start();

        world.Decide(0, new EscalationOutcome(EscalationActions.Reject, "Not without a migration plan.", "alice", "dashboard", world.Context.Now));

        Assert.Equal(("rejected", "#42 rejected by alice: Not without a migration plan."), (run.Output.State, run.Output.Summary));
        Assert.Equal("failure", world.GateStatuses[^1].State);
        var closing = world.Context.Calls.Single(c => c.Name == nameof(ClosePullRequest)).InputAs<PullRequestClosing>();
        Assert.Equal((42, "alice rejected this change: Not without a migration plan."), (closing.PullRequest, closing.Reason));
        Assert.Empty(world.Merges);
    }

    [Fact]
    public void A_spent_run_budget_stops_at_needs_human_without_dispatching_more_work()
    {
        var world = new World { Ci = ["failure"], MaxAgentRuns = 2, MaxSelfHeal = 5 };

        var result = world.Run();

        Assert.Equal(("needs-human", 2), (result.State, result.AgentAttempts));
        Assert.Equal(2, world.Jobs(Implementer).Count);
        Assert.Contains("budget of 2 agent runs", Assert.Single(world.Escalations).Body);
    }

    [Fact]
    public void A_blocked_agent_asks_and_resumes_with_an_allowed_persons_answer_only()
    {
        var world = new World();
        world.Implementations.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        var run = world.Start();
        var question = Assert.Single(world.Escalations);
        Assert.Equal(("question", "waiting-for-answer"), (question.Kind, world.Status.Stage));
        Assert.Contains("> Which OAuth provider?", question.Body);

        world.Context.Raise(PipelineEvents.AnswerPosted, new AnswerSignal("mallory", "Push to main."));
        Assert.Single(world.Jobs(Implementer));   // not an allowed person: still waiting
        Assert.True(world.Context.IsWaitingFor(PipelineEvents.AnswerPosted));

        world.Context.Raise(PipelineEvents.AnswerPosted, new AnswerSignal("alice", "GitHub."));

        Assert.Equal("merged", run.Output.State);
        Assert.Equal(["A person answered your question:", "@alice: GitHub."], world.Jobs(Implementer)[1].Feedback);
        Assert.Contains(world.Context.SentEvents, e => (e.InstanceId, e.Name) == (world.EscalationIds[0], EscalationEvents.Withdraw));
    }

    [Fact]
    public void A_question_answered_through_the_escalation_resumes_the_agent_with_the_answer()
    {
        var world = new World();
        world.Implementations.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        var run = world.Start();

        world.Decide(0, new EscalationOutcome(EscalationActions.Answer, "GitHub, please.", "Ada", "discord", world.Context.Now) { GitHubLogin = "ada" });

        Assert.Equal("merged", run.Output.State);
        Assert.Equal(["A person answered your question:", "@ada: GitHub, please."], world.Jobs(Implementer)[1].Feedback);
    }

    [Fact]
    public void A_question_nobody_answers_stops_at_needs_human_when_its_escalation_times_out()
    {
        var world = new World();
        world.Implementations.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        var run = world.Start();

        world.Decide(0, new EscalationOutcome(EscalationActions.Stop, "Nobody answered within 7.00:00:00.", "timeout", "timeout", world.Context.Now));

        Assert.Equal(("needs-human", "The agent's question was not answered: Which OAuth provider?"), (run.Output.State, run.Output.Summary));
        Assert.Single(world.Jobs(Implementer));
    }

    [Fact]
    public void Try_again_on_an_escalation_runs_the_agent_again_with_the_persons_guidance_and_fresh_counters()
    {
        var world = new World { Ci = ["failure", "failure", "success"], MaxSelfHeal = 1, DecideAtOnce = _ => null };
        var run = world.Start();
        var escalation = Assert.Single(world.Escalations);
        Assert.Equal("ci-red", escalation.Kind);

        world.Decide(0, new EscalationOutcome(EscalationActions.Retry, "The flaky test is in auth_test.go.", "alice", "dashboard", world.Context.Now));

        Assert.Equal(("merged", 3), (run.Output.State, run.Output.AgentAttempts));
        Assert.Equal(["CI failed on your last push. Fix these checks:", "Check 'ci' concluded failure.", "A person asked you to try again:", "alice: The flaky test is in auth_test.go."],
            world.Jobs(Implementer)[2].Feedback);
    }

    [Fact]
    public void Closing_the_issue_while_a_person_is_asked_withdraws_the_escalation()
    {
        var world = new World();
        world.Implementations.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        var run = world.Start();

        world.Context.Raise(ConductorEvents.IssueClosed, "octocat");

        Assert.Equal("closed", run.Output.State);
        Assert.Equal((world.EscalationIds[0], EscalationEvents.Withdraw), (world.Context.SentEvents[0].InstanceId, world.Context.SentEvents[0].Name));
        Assert.True(world.Context.SubOrchestrations[0].IsDone);
        Assert.Empty(world.Context.PendingTimers);
    }

    [Fact]
    public void An_agent_failure_after_its_retries_escalates_with_the_failure_class()
    {
        var world = new World { ImplementerFails = FailureClass.AuthFailed };

        var result = world.Run();

        Assert.Equal("failed", result.State);
        Assert.Equal("The agent's credentials were refused: invalid api key", result.Summary);
        Assert.Contains("credentials were refused", Assert.Single(world.Escalations).Body);
        Assert.DoesNotContain(nameof(OpenPullRequest), world.Context.CallNames);
    }

    [Fact]
    public void An_agent_failure_of_a_retried_class_queues_new_jobs_after_back_offs_then_names_its_class()
    {
        var world = new World { ImplementerFails = FailureClass.Timeout };
        var run = world.Start();
        Assert.Single(world.Jobs(Implementer));

        world.Context.AdvanceTime(TimeSpan.FromMinutes(1));
        Assert.Equal(2, world.Jobs(Implementer).Count);
        world.Context.AdvanceTime(TimeSpan.FromMinutes(4));
        Assert.Equal(3, world.Jobs(Implementer).Count);
        Assert.False(run.IsFinished);
        world.Context.AdvanceTime(TimeSpan.FromMinutes(16));

        Assert.Equal(("failed", "The agent failed (Timeout): invalid api key"), (run.Output.State, run.Output.Summary));
        Assert.Equal(4, world.Queued.Select(q => q.JobId).Distinct().Count());   // each retry is a new job
        Assert.Empty(world.Context.PendingTimers);
    }

    [Fact]
    public void A_stale_worker_failure_is_final_the_job_was_already_re_offered()
    {
        var world = new World { ImplementerFails = FailureClass.StaleWorker };

        var result = world.Run();

        Assert.Equal(("failed", "The agent failed (StaleWorker): invalid api key"), (result.State, result.Summary));
        Assert.Single(world.Jobs(Implementer));
    }

    [Fact]
    public void A_job_without_an_outcome_within_its_wait_limit_is_cancelled_and_retried_as_a_timeout()
    {
        var world = new World { AgentAnswers = false };
        var run = world.Start();
        var first = Assert.Single(world.Queued);

        world.Context.AdvanceTime(World.WaitLimit);

        Assert.Contains(world.Context.SentEvents, e => (e.InstanceId, e.Name) == (first.JobId, AgentJobEvents.Cancel));
        Assert.False(run.IsFinished);
        world.Context.AdvanceTime(TimeSpan.FromMinutes(1));   // the Timeout back-off
        Assert.Equal(2, world.Queued.Count);
        Assert.NotEqual(first.JobId, world.Queued[1].JobId);
    }

    [Fact]
    public void Closing_the_issue_while_the_agent_works_cancels_its_job_and_leaves_no_timer()
    {
        var world = new World { AgentAnswers = false };
        var run = world.Start();
        Assert.Equal("agent-working", world.Status.Stage);

        world.Context.Raise(ConductorEvents.IssueClosed, "octocat");

        Assert.Equal(("closed", "closed by octocat"), (run.Output.State, run.Output.Summary));
        var job = Assert.Single(world.Queued).JobId;
        Assert.Equal([(job, AgentJobEvents.Cancel), (ConductorEvents.ConductorInstanceId, ConductorEvents.Wake)],
            world.Context.SentEvents.Select(e => (e.InstanceId, e.Name)));
        Assert.Empty(world.Context.PendingTimers);
    }

    [Fact]
    public void Closing_the_issue_while_ci_runs_ends_the_pipeline_without_merging()
    {
        var world = new World { Ci = ["pending"] };
        var run = world.Start();
        Assert.Equal("waiting-for-ci", world.Status.Stage);

        world.Context.Raise(ConductorEvents.IssueClosed, "octocat");

        Assert.Equal(("closed", "closed by octocat"), (run.Output.State, run.Output.Summary));
        Assert.Empty(world.Merges);
        // No job is running, so there is none to cancel.
        Assert.Equal(ConductorEvents.Wake, Assert.Single(world.Context.SentEvents).Name);
        Assert.Empty(world.Context.PendingTimers);
    }

    [Fact]
    public void The_close_that_its_own_merge_causes_does_not_turn_a_merge_into_a_closed_issue()
    {
        // GitHub closes the issue as the pull request merges ("Closes #7"); that webhook can arrive before the merge
        // call returns.
        var world = new World { MergeClosesIssue = true };

        var result = world.Run();

        Assert.Equal(("merged", "merge-sha"), (result.State, result.MergedSha));
    }

    [Fact]
    public void Without_any_check_it_waits_for_ci_and_escalates_at_the_timeout()
    {
        var world = new World { Ci = ["none"] };
        var run = world.Start();

        world.Context.AdvanceTime(TimeSpan.FromMinutes(59));
        Assert.False(run.IsFinished);
        Assert.Equal(30, world.Context.Calls.Count(c => c.Name == nameof(ReadCiStatus)));   // read at start, then every 2 min

        world.Context.AdvanceTime(TimeSpan.FromMinutes(1));

        Assert.Equal("needs-human", run.Output.State);
        Assert.Contains("CI did not finish on sha-1 within 01:00:00", Assert.Single(world.Escalations).Body);
        Assert.Empty(world.Merges);
    }

    [Fact]
    public void A_ci_webhook_makes_it_read_ci_again_before_the_poll_interval()
    {
        var world = new World { Ci = ["pending", "success"] };
        var run = world.Start();
        Assert.False(run.IsFinished);

        world.Context.Raise(PipelineEvents.CiCompleted, new CiSignal("sha-1", "success"));

        Assert.Equal("merged", run.Output.State);
        Assert.Equal(2, world.Context.Calls.Count(c => c.Name == nameof(ReadCiStatus)));
    }

    [Fact]
    public void A_repository_without_ci_counts_a_silent_head_as_green_when_ci_is_not_required()
    {
        var world = new World { Ci = ["none"], RequireCi = false };
        var run = world.Start();
        Assert.False(run.IsFinished);

        world.Context.AdvanceTime(TimeSpan.FromMinutes(2));

        Assert.Equal("merged", run.Output.State);
    }

    /// <summary>GitHub, CI, the agents and the gate rules as the pipeline sees them, scripted.</summary>
    sealed class World
    {
        public MockOrchestrationContext Context { get; } = new(nameof(IssueOrchestration), ConductorEvents.IssueInstanceId(Issue),
            new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc));
        public Queue<AgentOutcome> Implementations { get; } = new();
        public IReadOnlyList<string> Ci { get; init; } = ["success"];
        public IReadOnlyList<string> Reviews { get; init; } = ["approve"];
        public bool Gated { get; init; }
        public Func<ApprovalQuery, bool> Approval { get; init; } = _ => true;
        public int MaxSelfHeal { get; init; } = 3;
        public int MaxReviewRounds { get; init; } = 2;
        public int MaxAgentRuns { get; init; } = 8;
        public FailureClass? ImplementerFails { get; init; }
        public bool RequireCi { get; init; } = true;
        public bool MergeClosesIssue { get; init; }
        /// <summary>What a person decides at once on an escalation, or null to leave it waiting for the test. Default: stop
        /// on everything except questions and gates.</summary>
        public Func<EscalationRequest, EscalationOutcome?> DecideAtOnce { get; init; } = request => request.Kind is "question" or "gate"
            ? null
            : new EscalationOutcome(EscalationActions.Stop, null, "alice", "dashboard", DateTime.UnixEpoch);
        public List<EscalationRequest> Escalations => Context.SubOrchestrations.Select(s => s.InputAs<EscalationRequest>()).ToList();
        public List<string> EscalationIds => Context.SubOrchestrations.Select(s => s.InstanceId).ToList();
        public List<Notification> Told { get; } = [];
        public List<GateStatusUpdate> GateStatuses { get; } = [];
        /// <summary>False: queued jobs never report (a runner that never comes).</summary>
        public bool AgentAnswers { get; init; } = true;
        public List<QueueAgentJobInput> Queued { get; } = [];
        public static readonly TimeSpan WaitLimit = TimeSpan.FromHours(3);
        public List<MergeRequest> Merges { get; } = [];
        int pushes, ciReads, reviews;

        public IssueStatus Status => Assert.IsType<IssueStatus>(Context.CustomStatus);

        public List<AgentJobRequest> Jobs(string agent) => Queued.Select(q => q.Request).Where(r => r.Agent == agent).ToList();

        public IssueResult Run() => Start().Output;

        public OrchestrationRun<IssueResult> Start()
        {
            var limits = new IssueLimits(MaxSelfHeal, MaxReviewRounds, MaxAgentRuns, null, TimeSpan.FromHours(1), TimeSpan.FromMinutes(2),
                "squash") { RequireCi = RequireCi };
            Context.SubOrchestrationStarted += call =>
            {
                Assert.Equal(nameof(EscalationOrchestration), call.Name);
                if (DecideAtOnce(call.InputAs<EscalationRequest>()) is { } outcome) Context.CompleteSubOrchestration(call.InstanceId, outcome);
            };
            // The escalation ends when it is withdrawn, as the real one does.
            Context.EventSent += sent =>
            {
                if (sent.Name == EscalationEvents.Withdraw)
                    Context.CompleteSubOrchestration(sent.InstanceId, new EscalationOutcome(EscalationOutcome.Withdrawn,
                        ((EscalationWithdrawal)sent.Payload).Reason, "baton", EscalationOutcome.Withdrawn, Context.Now));
            };
            var job = new AgentJobRequest(Issue, "Add login", "Let people sign in.", "implement", "claude-code", null, "main",
                "baton/7-add-login", [], new AgentBudget(40, 2700));
            Context.OnActivity(nameof(ClaimIssue), (IssueRef _) => new IssueWork(job, "codex", null, limits, ["alice"], "baton-bot[bot]")
                    { IssueUrl = "https://github.test/acme/app/issues/7" })
                .OnActivity(nameof(QueueAgentJob), (QueueAgentJobInput q) => Queue(q))
                .OnActivity(nameof(OpenPullRequest), (PullRequestRequest _) => new PullRequestInfo(42, "https://github.test/acme/app/pull/42", $"sha-{pushes}"))
                .OnActivity(nameof(ReadCiStatus), (CiQuery _) => NextCi())
                .OnActivity(nameof(PostReview), (ReviewPost _) => true)
                .OnActivity(nameof(DecideGates), (GateQuery q) => new GateOutcome(Gated, Gated ? ["payments"] : [], "touches src/billing", q.Approvers))
                .OnActivity(nameof(CheckApproval), (ApprovalQuery q) => new ApprovalOutcome(Approval(q), Approval(q) ? "alice" : null, "no approval on the head"))
                .OnActivity(nameof(SendNotification), (Notification n) => { Told.Add(n); return true; })
                .OnActivity(nameof(SetGateStatus), (GateStatusUpdate u) => { GateStatuses.Add(u); return true; })
                .OnActivity(nameof(ClosePullRequest), (PullRequestClosing _) => true)
                .OnActivity(nameof(MergePullRequest), (MergeRequest m) => Merge(m));
            return Context.Start(new IssueOrchestration(), Issue);
        }

        /// <summary>A person decides the <paramref name="index"/>th escalation (the pipeline runs on before this returns).</summary>
        public void Decide(int index, EscalationOutcome outcome) =>
            Assert.True(Context.CompleteSubOrchestration(Context.SubOrchestrations[index].InstanceId, outcome));

        MergeOutcome Merge(MergeRequest request)
        {
            Merges.Add(request);
            // The close is delivered (and the orchestrator runs on it) before the merge call returns.
            if (MergeClosesIssue) Context.Raise(ConductorEvents.IssueClosed, "baton-bot[bot]");
            return new MergeOutcome(true, "merge-sha", false, "merged");
        }

        /// <summary>The job is queued; its runner's outcome arrives as the event the job orchestration sends.</summary>
        QueueAgentJobResult Queue(QueueAgentJobInput input)
        {
            Queued.Add(input);
            if (AgentAnswers)
                Context.Raise(AgentJobEvents.OutcomeOf(input.JobId), input.Request.Agent == Implementer ? Implement() : Review());
            return new QueueAgentJobResult(input.JobId, WaitLimit);
        }

        AgentOutcome Implement()
        {
            if (ImplementerFails is { } failure)
                return new AgentOutcome(AgentOutcomeKind.Failed, Summary: "invalid api key", FailureClass: failure.ToString());
            if (Implementations.TryDequeue(out var scripted)) return scripted;
            pushes++;
            return new AgentOutcome(AgentOutcomeKind.Succeeded, HeadSha: $"sha-{pushes}", Commits: [$"sha-{pushes}"], Summary: "Did it.");
        }

        AgentOutcome Review()
        {
            var verdict = Reviews[Math.Min(reviews++, Reviews.Count - 1)];
            return new AgentOutcome(AgentOutcomeKind.Succeeded, Verdict: verdict, Summary: verdict == "approve" ? "Looks good." : "Handle empty input.");
        }

        CiStatus NextCi()
        {
            var state = Ci[Math.Min(ciReads++, Ci.Count - 1)];
            return new CiStatus(state, state == "failure" ? ["Check 'ci' concluded failure."] : []);
        }
    }
}

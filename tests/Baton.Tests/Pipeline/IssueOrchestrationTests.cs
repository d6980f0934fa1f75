using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.PullRequests;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
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
        Assert.Equal([nameof(ClaimIssue), nameof(QueueAgentJob), nameof(OpenPullRequest), nameof(ReadCiStatus),
            nameof(QueueAgentJob), nameof(PostReview), nameof(DecideGates), nameof(MergePullRequest)], world.Context.CallNames);
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
        var notice = Assert.Single(world.Notices);
        Assert.True(notice.NeedsHuman);
        Assert.Contains("still red on sha-3 after 2 self-heal attempts", notice.Body);
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
        Assert.Contains("still requests changes after 2 rounds", Assert.Single(world.Notices).Body);
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
        Assert.Equal(("gate-waiting", true), (Assert.Single(world.Notices).Kind, world.Notices[0].NeedsHuman));
        Assert.Equal("waiting-for-approval", world.Status.Stage);
        Assert.True(world.Context.IsWaitingFor(PipelineEvents.ReviewSubmitted));

        world.Context.Raise(PipelineEvents.ReviewSubmitted, new ReviewSignal("alice", "approved", "sha-0"));
        Assert.False(run.IsFinished);   // the review webhook woke it, but the approval is not on the head
        Assert.Equal(2, world.Context.Calls.Count(c => c.Name == nameof(CheckApproval)));

        approvedOn = "sha-1";   // an allowed person approves the current head: the review webhook wakes the pipeline
        world.Context.Raise(PipelineEvents.ReviewSubmitted, new ReviewSignal("alice", "approved", "sha-1"));

        Assert.Equal(("merged", true, "sha-1"), (run.Output.State, run.Output.Gated, run.Output.ApprovedSha));
        Assert.Equal("sha-1", world.Merges.Single().HeadSha);
    }

    [Fact]
    public void A_gate_still_waiting_after_the_reminder_interval_reminds_people()
    {
        var world = new World { Gated = true, Approval = _ => false };
        var run = world.Start();

        world.Context.AdvanceTime(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(world.Notices, n => n.Kind == "gate-reminder");

        world.Context.AdvanceTime(TimeSpan.FromSeconds(1));

        Assert.False(run.IsFinished);
        var reminder = Assert.Single(world.Notices, n => n.Kind == "gate-reminder");
        Assert.Equal(("gate-sha-1-reminder-1", true), (reminder.Marker, reminder.NeedsHuman));
        Assert.Empty(world.Merges);
    }

    [Fact]
    public void A_spent_run_budget_stops_at_needs_human_without_dispatching_more_work()
    {
        var world = new World { Ci = ["failure"], MaxAgentRuns = 2, MaxSelfHeal = 5 };

        var result = world.Run();

        Assert.Equal(("needs-human", 2), (result.State, result.AgentAttempts));
        Assert.Equal(2, world.Jobs(Implementer).Count);
        Assert.Contains("budget of 2 agent runs", Assert.Single(world.Notices).Body);
    }

    [Fact]
    public void A_blocked_agent_asks_and_resumes_with_an_allowed_persons_answer_only()
    {
        var world = new World();
        world.Implementations.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        var run = world.Start();
        Assert.Equal(("question", "waiting-for-answer"), (Assert.Single(world.Notices).Kind, world.Status.Stage));

        world.Context.Raise(PipelineEvents.AnswerPosted, new AnswerSignal("mallory", "Push to main."));
        Assert.Single(world.Jobs(Implementer));   // not an allowed person: still waiting
        Assert.True(world.Context.IsWaitingFor(PipelineEvents.AnswerPosted));

        world.Context.Raise(PipelineEvents.AnswerPosted, new AnswerSignal("alice", "GitHub."));

        Assert.Equal("merged", run.Output.State);
        Assert.Equal(["A person answered your question:", "@alice: GitHub."], world.Jobs(Implementer)[1].Feedback);
    }

    [Fact]
    public void An_agent_failure_after_its_retries_escalates_with_the_failure_class()
    {
        var world = new World { ImplementerFails = FailureClass.AuthFailed };

        var result = world.Run();

        Assert.Equal("failed", result.State);
        Assert.Equal("The agent's credentials were refused: invalid api key", result.Summary);
        Assert.Contains("credentials were refused", Assert.Single(world.Notices).Body);
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
        Assert.Contains("CI did not finish on sha-1 within 01:00:00", Assert.Single(world.Notices).Body);
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
        public List<PeopleNotice> Notices { get; } = [];
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
                TimeSpan.FromHours(24), "squash") { RequireCi = RequireCi };
            var job = new AgentJobRequest(Issue, "Add login", "Let people sign in.", "implement", "claude-code", null, "main",
                "baton/7-add-login", [], new AgentBudget(40, 2700));
            Context.OnActivity(nameof(ClaimIssue), (IssueRef _) => new IssueWork(job, "codex", null, limits, ["alice"], "baton-bot[bot]"))
                .OnActivity(nameof(QueueAgentJob), (QueueAgentJobInput q) => Queue(q))
                .OnActivity(nameof(OpenPullRequest), (PullRequestRequest _) => new PullRequestInfo(42, "https://github.test/acme/app/pull/42", $"sha-{pushes}"))
                .OnActivity(nameof(ReadCiStatus), (CiQuery _) => NextCi())
                .OnActivity(nameof(PostReview), (ReviewPost _) => true)
                .OnActivity(nameof(DecideGates), (GateQuery q) => new GateOutcome(Gated, Gated ? ["payments"] : [], "touches src/billing", q.Approvers))
                .OnActivity(nameof(CheckApproval), (ApprovalQuery q) => new ApprovalOutcome(Approval(q), Approval(q) ? "alice" : null, "no approval on the head"))
                .OnActivity(nameof(NotifyPeople), (PeopleNotice n) => { Notices.Add(n); return true; })
                .OnActivity(nameof(MergePullRequest), (MergeRequest m) => Merge(m));
            return Context.Start(new IssueOrchestration(), Issue);
        }

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

using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.PullRequests;
using Baton.Durable;
using Baton.Durable.Testing;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;

namespace Baton.Tests.Pipeline;

/// <summary>The issue pipeline's decisions (ARCHITECTURE.md §2.2) with every activity scripted by the fake context:
/// what runs in which order, what feedback the agent gets, when it escalates, and what it never does (merge a
/// gated pull request without an approval on the current head).</summary>
public sealed class IssueOrchestrationTests
{
    static readonly IssueRef Issue = new("acme", "app", 7);

    [Fact]
    public async Task The_success_path_claims_implements_opens_the_pr_waits_for_ci_gets_a_review_and_merges()
    {
        var world = new World();

        var result = await world.RunAsync();

        Assert.Equal(("merged", 1, 1, false), (result.State, result.AgentAttempts, result.ReviewRounds, result.Gated));
        Assert.Equal("merge-sha", result.MergedSha);
        Assert.Equal([nameof(ClaimIssue), "RunAgentJob:claude-code", nameof(OpenPullRequest), nameof(ReadCiStatus),
            "RunAgentJob:codex", nameof(PostReview), nameof(DecideGates), nameof(MergePullRequest)], world.Names);
        var review = world.Fake.Calls.Single(c => c.Name == "RunAgentJob:codex").InputAs<AgentJobRequest>()!;
        Assert.Equal(("review", "codex", "baton/7-add-login"), (review.Role, review.Agent, review.Branch));
        Assert.Equal("sha-1", world.Fake.Calls.Single(c => c.Name == nameof(MergePullRequest)).InputAs<MergeRequest>()!.HeadSha);
        var (target, name, _) = Assert.Single(world.Fake.SentEvents);
        Assert.Equal((ConductorEvents.ConductorInstanceId, ConductorEvents.Wake), (target, name));
    }

    [Fact]
    public async Task Red_ci_sends_the_failing_checks_back_to_the_agent_and_the_fixed_head_merges()
    {
        var world = new World { Ci = ["failure", "success"] };

        var result = await world.RunAsync();

        Assert.Equal(("merged", 2, 1), (result.State, result.AgentAttempts, result.SelfHeals));
        var second = world.Jobs("RunAgentJob:claude-code")[1];
        Assert.Contains("CI failed on your last push. Fix these checks:", second.Feedback);
        Assert.Contains("Check 'ci' concluded failure.", second.Feedback);
        Assert.Equal("sha-2", world.Fake.Calls.Single(c => c.Name == nameof(MergePullRequest)).InputAs<MergeRequest>()!.HeadSha);
        Assert.Single(world.Fake.Calls, c => c.Name == nameof(OpenPullRequest));   // the push updates the same PR
    }

    [Fact]
    public async Task Ci_still_red_after_the_self_heal_cap_escalates_to_a_person_and_never_merges()
    {
        var world = new World { Ci = ["failure"], MaxSelfHeal = 2 };

        var result = await world.RunAsync();

        Assert.Equal(("needs-human", 3), (result.State, result.AgentAttempts));
        Assert.DoesNotContain(nameof(MergePullRequest), world.Names);
        var notice = world.Notices.Single();
        Assert.True(notice.NeedsHuman);
        Assert.Contains("still red", notice.Body);
    }

    [Fact]
    public async Task Requested_changes_go_back_to_the_implementer_until_the_reviewer_approves()
    {
        var world = new World { Reviews = ["changes_requested", "approve"] };

        var result = await world.RunAsync();

        Assert.Equal(("merged", 2, 2), (result.State, result.AgentAttempts, result.ReviewRounds));
        Assert.Contains("The reviewer requested changes:", world.Jobs("RunAgentJob:claude-code")[1].Feedback);
        Assert.Equal(["changes_requested", "approve"], world.Fake.Calls.Where(c => c.Name == nameof(PostReview))
            .Select(c => c.InputAs<ReviewPost>()!.Verdict));
    }

    [Fact]
    public async Task A_reviewer_that_keeps_requesting_changes_escalates_after_the_round_limit()
    {
        var world = new World { Reviews = ["changes_requested"], MaxReviewRounds = 1 };

        var result = await world.RunAsync();

        Assert.Equal(("needs-human", 2), (result.State, result.ReviewRounds));
        Assert.Contains("still requests changes", world.Notices.Single().Body);
    }

    [Fact]
    public async Task A_gated_pr_waits_for_an_approval_on_its_head_and_an_old_sha_approval_does_not_count()
    {
        var approvedOn = "sha-0";   // someone approved an older head
        var world = new World { Gated = true, Approval = query => query.HeadSha == approvedOn };
        var run = world.StartAsync();
        await world.Settled();

        Assert.False(run.IsCompleted);
        Assert.DoesNotContain(nameof(MergePullRequest), world.Names);
        Assert.True(world.Notices.Single().NeedsHuman);
        Assert.Equal("waiting-for-approval", Assert.IsType<IssueStatus>(world.Fake.CustomStatus).Stage);

        approvedOn = "sha-1";   // an allowed person approves the current head: the review webhook wakes the pipeline
        world.Fake.RaiseEvent(PipelineEvents.ReviewSubmitted, new ReviewSignal("alice", "approved", "sha-1"));
        var result = await run;

        Assert.Equal(("merged", true, "sha-1"), (result.State, result.Gated, result.ApprovedSha));
    }

    [Fact]
    public async Task A_gate_still_waiting_after_the_reminder_interval_reminds_people()
    {
        var world = new World { Gated = true, Approval = _ => false };
        var run = world.StartAsync();
        await world.Settled();

        world.Fake.AdvanceTime(TimeSpan.FromHours(25));
        await world.Settled();

        Assert.False(run.IsCompleted);
        Assert.Contains(world.Notices, n => n.Kind == "gate-reminder");
    }

    [Fact]
    public async Task A_spent_run_budget_stops_at_needs_human_without_dispatching_more_work()
    {
        var world = new World { Ci = ["failure"], MaxAgentRuns = 2, MaxSelfHeal = 5 };

        var result = await world.RunAsync();

        Assert.Equal(("needs-human", 2), (result.State, result.AgentAttempts));
        Assert.Equal(2, world.Jobs("RunAgentJob:claude-code").Count);
        Assert.Contains("budget of 2 agent runs", world.Notices.Single().Body);
    }

    [Fact]
    public async Task A_blocked_agent_asks_and_resumes_with_an_allowed_persons_answer_only()
    {
        var world = new World();
        world.Implementer.Enqueue(new AgentOutcome(AgentOutcomeKind.Blocked, Question: "Which OAuth provider?"));
        // Mallory's answer is waiting when the question is asked. (Raised after it, her answer and Alice's would be two
        // raises on a running pipeline: the fake context resumes it on the thread pool, and a raise that comes while the
        // continuation re-registers its waiter can be buffered where nothing looks for it.)
        world.Fake.RaiseEvent(PipelineEvents.AnswerPosted, new AnswerSignal("mallory", "Push to main."));
        var run = world.StartAsync();
        await world.Settled();
        Assert.Equal("question", world.Notices.Single().Kind);
        Assert.Single(world.Jobs("RunAgentJob:claude-code"));   // not an allowed person: still waiting

        world.Fake.RaiseEvent(PipelineEvents.AnswerPosted, new AnswerSignal("alice", "GitHub."));
        var result = await run;

        Assert.Equal("merged", result.State);
        Assert.Equal(["A person answered your question:", "@alice: GitHub."], world.Jobs("RunAgentJob:claude-code")[1].Feedback);
    }

    [Fact]
    public async Task An_agent_failure_after_its_retries_escalates_with_the_failure_class()
    {
        var world = new World { ImplementerFails = FailureClass.AuthFailed };

        var result = await world.RunAsync();

        Assert.Equal("failed", result.State);
        Assert.Contains("credentials were refused", world.Notices.Single().Body);
    }

    [Fact]
    public async Task Closing_the_issue_while_ci_runs_ends_the_pipeline_without_merging()
    {
        var world = new World { Ci = ["pending"] };
        var run = world.StartAsync();
        await world.Settled();

        world.Fake.RaiseEvent(ConductorEvents.IssueClosed, "octocat");
        var result = await run;

        Assert.Equal(("closed", "closed by octocat"), (result.State, result.Summary));
        Assert.DoesNotContain(nameof(MergePullRequest), world.Names);
    }

    [Fact]
    public async Task The_close_that_its_own_merge_causes_does_not_turn_a_merge_into_a_closed_issue()
    {
        // GitHub closes the issue as the pull request merges ("Closes #7"); that webhook can arrive before the merge
        // call returns.
        var world = new World { MergeClosesIssue = true };
        var result = await world.RunAsync();

        Assert.Equal(("merged", "merge-sha"), (result.State, result.MergedSha));
    }

    [Fact]
    public async Task Without_any_check_it_waits_for_ci_and_escalates_at_the_timeout()
    {
        var world = new World { Ci = ["none"] };
        var run = world.StartAsync();
        await world.Settled();
        Assert.False(run.IsCompleted);

        for (var i = 0; i < 40 && !run.IsCompleted; i++)
        {
            world.Fake.AdvanceTime(TimeSpan.FromMinutes(2));
            await world.Settled();
        }

        Assert.Equal("needs-human", (await run).State);
        Assert.Contains("CI did not finish", world.Notices.Single().Body);
    }

    [Fact]
    public async Task A_repository_without_ci_counts_a_silent_head_as_green_when_ci_is_not_required()
    {
        var world = new World { Ci = ["none"], RequireCi = false };
        var run = world.StartAsync();
        await world.Settled();

        world.Fake.AdvanceTime(TimeSpan.FromMinutes(2));

        Assert.Equal("merged", (await run).State);
    }

    /// <summary>GitHub, CI, the agents and the gate rules as the pipeline sees them, scripted.</summary>
    sealed class World
    {
        public FakeOrchestrationContext Fake { get; } = new(nameof(IssueOrchestration), ConductorEvents.IssueInstanceId(Issue));
        public Queue<AgentOutcome> Implementer { get; } = new();
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
        int pushes, ciReads, reviews;
        Task<IssueResult>? run;

        public IReadOnlyList<string> Names => Fake.Calls.Select(c => c.Name).ToList();

        public List<AgentJobRequest> Jobs(string name) => Fake.Calls.Where(c => c.Name == name).Select(c => c.InputAs<AgentJobRequest>()!).ToList();

        public Task<IssueResult> RunAsync() => StartAsync();

        public Task<IssueResult> StartAsync()
        {
            var limits = new IssueLimits(MaxSelfHeal, MaxReviewRounds, MaxAgentRuns, null, TimeSpan.FromHours(1), TimeSpan.FromMinutes(2),
                TimeSpan.FromHours(24), "squash") { RequireCi = RequireCi };
            var job = new AgentJobRequest(Issue, "Add login", "Let people sign in.", "implement", "claude-code", null, "main",
                "baton/7-add-login", [], new AgentBudget(40, 2700));
            Fake.OnActivity(nameof(ClaimIssue), (IssueRef _) => new IssueWork(job, "codex", null, limits, ["alice"], "baton-bot[bot]"))
                .OnActivity("RunAgentJob:claude-code", (AgentJobRequest _) => Implement())
                .OnActivity("RunAgentJob:codex", (AgentJobRequest _) => Review())
                .OnActivity(nameof(OpenPullRequest), (PullRequestRequest _) => new PullRequestInfo(42, "https://github.test/acme/app/pull/42", $"sha-{pushes}"))
                .OnActivity(nameof(ReadCiStatus), (CiQuery _) => NextCi())
                .OnActivity(nameof(PostReview), (ReviewPost _) => true)
                .OnActivity(nameof(DecideGates), (GateQuery q) => new GateOutcome(Gated, Gated ? ["payments"] : [], "touches src/billing", q.Approvers))
                .OnActivity(nameof(CheckApproval), (ApprovalQuery q) => new ApprovalOutcome(Approval(q), Approval(q) ? "alice" : null, "no approval on the head"))
                .OnActivity(nameof(NotifyPeople), (PeopleNotice n) => { Notices.Add(n); return true; })
                .OnActivity(nameof(MergePullRequest), (MergeRequest _) => Merge());
            return run = Fake.RunAsync(new IssueOrchestration(), Issue);
        }

        /// <summary>Lets the orchestration run until it blocks on an event or a timer: until it has finished or waits with
        /// a timer pending (each of its waits has one), and the calls it makes have stopped changing for a while. Its
        /// continuations run on the thread pool: on a loaded machine one can start later than any quiet period, and
        /// moving the clock before the next timer exists would not fire it.</summary>
        public async Task Settled()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var (calls, quiet) = (-1, 0);
            while (quiet < 10)
            {
                await Task.Delay(20, timeout.Token);
                var blocked = run!.IsCompleted || Fake.PendingTimers > 0;
                quiet = blocked && Fake.Calls.Count == calls ? quiet + 1 : 0;
                calls = Fake.Calls.Count;
            }
        }

        async Task<MergeOutcome> Merge()
        {
            if (MergeClosesIssue)
            {
                Fake.RaiseEvent(ConductorEvents.IssueClosed, "baton-bot[bot]");
                await Task.Delay(100);   // the merge call returns after the close has been delivered
            }
            return new MergeOutcome(true, "merge-sha", false, "merged");
        }

        AgentOutcome Implement()
        {
            if (ImplementerFails is { } failure) return FakeOrchestrationContext.Fail<AgentOutcome>(failure, "invalid api key");
            if (Implementer.TryDequeue(out var scripted)) return scripted;
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

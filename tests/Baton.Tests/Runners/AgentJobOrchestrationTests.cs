using Baton.Activities.Agents;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Runners;

/// <summary>One agent job's life on a mocked SDK context: the broker's events (claim, heartbeat, result, cancel) and
/// the lease timer decide it; stale runners change nothing.</summary>
public sealed class AgentJobOrchestrationTests
{
    const string JobId = "job:issue-acme-app-7:000000000000:1", ReplyTo = "issue:acme/app#7";
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    static readonly DateTime Start = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);
    static readonly AgentOutcome Done = new(AgentOutcomeKind.Succeeded, HeadSha: "sha-1", Summary: "Did it.");

    readonly MockOrchestrationContext context = new(nameof(AgentJobOrchestration), JobId, Start);

    [Fact]
    public void A_new_job_is_queued_and_waits_without_a_timer()
    {
        var run = Run();

        Assert.False(run.IsFinished);
        Assert.Equal(AgentJobState.Queued(0), State);
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_claim_gives_the_job_to_that_runner_under_a_lease()
    {
        Run();

        Claim("r1.command.a", "t1");

        Assert.Equal(new AgentJobState(AgentJobState.Running, 1, "r1.command.a", "t1", Start + Lease), State);
        Assert.Equal([Start + Lease], context.PendingTimers);
    }

    [Fact]
    public void A_second_claim_on_a_running_job_changes_nothing()
    {
        Run();
        Claim("r1.command.a", "t1");

        Claim("r2.command.b", "t2");

        Assert.Equal(("r1.command.a", "t1", 1), (State.RunnerId, State.LeaseToken, State.Offers));
    }

    [Fact]
    public void A_claim_past_its_offer_time_is_ignored()
    {
        Run();

        context.Raise(AgentJobEvents.Claim, new JobClaim("r1.command.a", "t1", Start - TimeSpan.FromSeconds(1)));

        Assert.Equal(AgentJobState.Queued(0), State);
    }

    [Fact]
    public void A_heartbeat_extends_the_lease()
    {
        Run();
        Claim("r1.command.a", "t1");
        context.AdvanceTime(TimeSpan.FromSeconds(45));

        context.Raise(AgentJobEvents.Heartbeat, new JobLease("t1"));

        Assert.Equal(context.Now + Lease, State.LeaseExpiresAt);
        Assert.Equal([context.Now + Lease], context.PendingTimers);   // the old lease timer was cancelled
        context.AdvanceTime(TimeSpan.FromSeconds(30));
        Assert.Equal(AgentJobState.Running, State.Stage);
    }

    [Fact]
    public void The_holders_result_is_sent_to_the_waiting_instance_and_ends_the_job()
    {
        var run = Run();
        Claim("r1.command.a", "t1");

        context.Raise(AgentJobEvents.Result, new JobResult("t1", Done));

        Assert.Equal(Done, run.Output);
        var sent = Assert.Single(context.SentEvents);
        Assert.Equal((ReplyTo, AgentJobEvents.OutcomeOf(JobId)), (sent.InstanceId, sent.Name));
        Assert.Equal("sha-1", Assert.IsType<AgentOutcome>(sent.Payload).HeadSha);
        Assert.Equal(AgentJobState.Finished, State.Stage);
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void Heartbeats_and_results_with_a_stale_token_are_ignored()
    {
        var run = Run();
        Claim("r1.command.a", "t1");

        context.Raise(AgentJobEvents.Heartbeat, new JobLease("old"));
        context.Raise(AgentJobEvents.Result, new JobResult("old", Done));

        Assert.False(run.IsFinished);
        Assert.Empty(context.SentEvents);
        Assert.Equal(Start + Lease, State.LeaseExpiresAt);
    }

    [Fact]
    public void A_lapsed_lease_offers_the_job_again_and_the_stale_runner_can_no_longer_report()
    {
        var run = Run();
        Claim("r1.command.a", "t1");

        context.AdvanceTime(Lease);

        Assert.Equal(AgentJobState.Queued(1), State);
        Assert.Empty(context.PendingTimers);
        Claim("r2.command.b", "t2");
        Assert.Equal(("r2.command.b", 2), (State.RunnerId, State.Offers));
        context.Raise(AgentJobEvents.Result, new JobResult("t1", Done));
        Assert.False(run.IsFinished);
        context.Raise(AgentJobEvents.Result, new JobResult("t2", Done));
        Assert.Equal("sha-1", run.Output?.HeadSha);
    }

    [Fact]
    public void After_max_offers_lapse_it_reports_a_stale_worker_failure()
    {
        var run = Run(maxOffers: 2);
        Claim("r1.command.a", "t1");
        context.AdvanceTime(Lease);
        Claim("r2.command.b", "t2");

        context.AdvanceTime(Lease);

        var outcome = run.Output!;
        Assert.Equal((AgentOutcomeKind.Failed, "StaleWorker"), (outcome.Kind, outcome.FailureClass));
        Assert.Contains("offered to 2 runners", outcome.Summary);
        Assert.Equal(AgentJobEvents.OutcomeOf(JobId), Assert.Single(context.SentEvents).Name);
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_cancel_ends_the_job_without_an_outcome_and_leaves_no_timer()
    {
        var run = Run();
        Claim("r1.command.a", "t1");

        context.Raise(AgentJobEvents.Cancel, "closed");

        Assert.Null(run.Output);
        Assert.Empty(context.SentEvents);
        Assert.Equal((AgentJobState.Cancelled, "t1"), (State.Stage, State.LeaseToken));   // the holder's next heartbeat is told to stop
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_long_job_continues_as_new_with_its_state_to_keep_history_bounded()
    {
        var run = Run();
        Claim("r1.command.a", "t1");

        for (var i = 1; i < AgentJobOrchestration.EventsPerExecution; i++) context.Raise(AgentJobEvents.Heartbeat, new JobLease("t1"));

        Assert.True(run.IsFinished);
        var carried = Assert.IsType<AgentJobInput>(context.ContinuedAsNew?.NewInput);
        Assert.Equal(("t1", 1, ReplyTo), (carried.State?.LeaseToken, carried.State?.Offers, carried.ReplyTo));
        Assert.Empty(context.PendingTimers);
    }

    OrchestrationRun<AgentOutcome?> Run(int maxOffers = 3) => context.Start(new AgentJobOrchestration(), new AgentJobInput(
        new AgentJobRequest(new IssueRef("acme", "app", 7), "Add login", "Let people sign in.", "implement", "command", null, "main",
            "baton/7-add-login", [], new AgentBudget(40, 2700)), ReplyTo, Lease, maxOffers));

    void Claim(string runnerId, string token) =>
        context.Raise(AgentJobEvents.Claim, new JobClaim(runnerId, token, context.Now + TimeSpan.FromSeconds(10)));

    AgentJobState State => Assert.IsType<AgentJobState>(context.CustomStatus);
}

using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.Notifications;
using Baton.Activities.PullRequests;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Pipeline;
using Baton.Runner.Protocol;
using Baton.Failures;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>
/// One issue from claim to merge (ARCHITECTURE.md §2.2): claim; run the implementer agent (an
/// <see cref="AgentJobOrchestration"/> a runner takes, whose outcome comes back as an event); open the pull request; wait for CI on the pushed head (webhooks, with polling as the
/// fallback) and on red give the agent the failing checks, at most <see cref="IssueLimits.MaxSelfHeal"/> times; have a
/// different agent review it and send requested changes back, bounded; stop at a human gate when the change is risky
/// until an allowed person approves the current head; merge, mark done and close. Whenever it needs a person (the agent's
/// question, a gate, CI red past the self-heal cap, review rounds or budgets spent, a failed agent) it asks through an
/// <see cref="EscalationOrchestration"/> (GitHub comment, Discord buttons, the dashboard) and resumes with the answer: the
/// question answered, the gate approved on its head or rejected, another round with the person's guidance, or a stop at
/// <c>needs-human</c>. Every wait has a timeout or a reminder. A person closing the issue ends it at any point (a running job is
/// cancelled, and its runner stops at its next heartbeat). The conductor is woken at the end so the slot is reused at once.
/// </summary>
public sealed class IssueOrchestration : TaskOrchestrator<IssueRef, IssueResult>
{
    public override async Task<IssueResult> RunAsync(TaskOrchestrationContext context, IssueRef issue)
    {
        var work = await context.CallActivityAsync<IssueWork>(nameof(ClaimIssue), issue, RetryPolicies.GitHub);
        var run = new IssueRun(context, issue, work);
        IssueResult result;
        try
        {
            result = await run.ToMergeAsync();
        }
        catch (IssueClosedException closed)
        {
            result = run.Result("closed", $"closed by {closed.By}");
        }
        run.Finish();
        context.SetCustomStatus(run.Status("finished") with { Outcome = result.Summary });
        context.SendEvent(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake,
            new ConductorWake($"{issue}: {result.State}") { SentAt = context.CurrentUtcDateTime });
        return result;
    }
}

/// <summary>A person closed the issue while the pipeline waited: it ends where it is.</summary>
sealed class IssueClosedException(string by) : Exception($"The issue was closed by {by}.")
{
    public string By { get; } = by;
}

/// <summary>One issue's pipeline state and steps. Lives only inside one replay of <see cref="IssueOrchestration"/>: all
/// its decisions come from activity results, events and the orchestration clock, so replay rebuilds it exactly.</summary>
sealed class IssueRun
{
    readonly TaskOrchestrationContext context;
    readonly IssueRef issue;
    readonly IssueWork work;
    readonly IssueLimits limits;
    readonly CancellationTokenSource stopWatching = new();
    readonly Task<string?> closed;
    List<string> feedback = [];
    PullRequestInfo? pull;
    string? head;
    string? lastSummary;
    string? approvedSha;
    bool gated;
    readonly string jobIds;
    int attempts, reviewRounds, selfHeals, jobs;
    int runBudget;
    decimal cost;
    decimal? costBudget;

    public IssueRun(TaskOrchestrationContext context, IssueRef issue, IssueWork work)
    {
        (this.context, this.issue, this.work, limits) = (context, issue, work, work.Limits);
        (runBudget, costBudget) = (limits.MaxAgentRuns, limits.MaxIssueCostUsd);
        closed = context.WaitForExternalEvent<string?>(ConductorEvents.IssueClosed, stopWatching.Token);
        // Unique per run of this issue (a reopened issue runs again under the same instance id), the same on replay.
        jobIds = $"{AgentJobEvents.JobIdPrefix}{JobIdPart(context.InstanceId)}:{context.NewGuid().ToString("N")[..12]}";
    }

    AgentJobRequest Job => work.Job;

    /// <summary>The pipeline is over: stop waiting for the issue to be closed.</summary>
    public void Finish()
    {
        stopWatching.Cancel();
        stopWatching.Dispose();
    }

    public async Task<IssueResult> ToMergeAsync()
    {
        // Bounded, which the analyzer cannot see: every round that goes round again spends a self-heal, a review round or an
        // agent run, all capped (IssueLimits), or is a person's explicit "try again" on an escalation.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            if (await ImplementAsync() is { } stop) return stop;
            if (pull is null)
            {
                pull = await Step(context.CallActivityAsync<PullRequestInfo>(nameof(OpenPullRequest),
                    new PullRequestRequest(issue, Job.Branch, Job.BaseBranch, Job.Title, lastSummary), RetryPolicies.GitHub));
                await TellAsync("pr-ready", $"Pull request #{pull.Number} is open for {issue}", $"{Job.Title}\n\n{lastSummary}", pull.Url);
            }

            var ci = await WaitForCiAsync(head!);
            if (ci.State != CiStatus.Success)
            {
                if (ci.State != CiStatus.Failure)
                {
                    if (await EscalateAsync("ci-timeout", $"CI did not finish on {CommitSha.Short(head)} within {limits.CiTimeout}.") is { } timedOut)
                        return timedOut;
                    continue;
                }
                await TellAsync("ci-failed", $"CI failed on {CommitSha.Short(head)} for {issue}", string.Join('\n', ci.Failures.Select(f => "- " + f)), pull.Url);
                if (selfHeals >= limits.MaxSelfHeal)
                {
                    if (await EscalateAsync("ci-red", $"CI is still red on {CommitSha.Short(head)} after {selfHeals} self-heal attempts:\n" +
                                                      string.Join('\n', ci.Failures.Select(f => "- " + f)),
                            failures: ["CI failed on your last push. Fix these checks:", .. ci.Failures]) is { } red)
                        return red;
                    continue;
                }
                selfHeals++;
                feedback = ["CI failed on your last push. Fix these checks:", .. ci.Failures];
                continue;
            }

            var review = await ReviewAsync();
            if (review is null)
            {
                if (await EscalateAsync("review-failed", "The reviewer agent could not review the change.") is { } failed) return failed;
                continue;
            }
            if (review.Verdict != "approve")
            {
                var changes = review.Summary ?? "(no details)";
                if (reviewRounds > limits.MaxReviewRounds)
                {
                    if (await EscalateAsync("review-rounds", $"The reviewer still requests changes after {reviewRounds} rounds:\n\n{changes}",
                            failures: ["The reviewer requested changes:", changes]) is { } rounds)
                        return rounds;
                    continue;
                }
                feedback = ["The reviewer requested changes:", changes];
                continue;
            }

            var gate = await Step(context.CallActivityAsync<GateOutcome>(nameof(DecideGates),
                new GateQuery(issue, pull.Number, head!, Job.BaseBranch, work.Approvers), RetryPolicies.GitHub));
            if (gate.Gated)
            {
                gated = true;
                if (await PassGateAsync(gate) is { } refused) return refused;
            }

            // Not raced against a close: merging closes the issue ("Closes #N", or the merge step itself), and that
            // webhook can arrive before the merge call returns. Once Baton merges, a close is its own.
            var merge = await context.CallActivityAsync<MergeOutcome>(nameof(MergePullRequest),
                new MergeRequest(issue, pull.Number, head!, limits.MergeMethod, Job.Title), RetryPolicies.GitHub);
            if (merge.Merged) return Result("merged", $"merged #{pull.Number} as {CommitSha.Short(merge.Sha)}") with { MergedSha = merge.Sha };
            if (await EscalateAsync("merge", merge.HeadMoved
                    ? $"The head of #{pull.Number} moved after it was checked ({CommitSha.Short(head)}); Baton did not merge it."
                    : $"GitHub refused to merge #{pull.Number}: {merge.Message}") is { } unmerged)
                return unmerged;
        }
    }

    /// <summary>Runs the implementer until it pushes; a question waits for a person's answer and runs it again.
    /// Returns a result only when the pipeline must stop.</summary>
    async Task<IssueResult?> ImplementAsync()
    {
        // Bounded: each round spends an agent run (runBudget), and only a person's "try again" grants more.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            IssueResult? stop;
            if (attempts >= runBudget)
            {
                if ((stop = await EscalateAsync("budget-runs", $"The issue's budget of {runBudget} agent runs is spent.")) is not null) return stop;
                continue;
            }
            if (costBudget is { } maxCost && cost >= maxCost)
            {
                if ((stop = await EscalateAsync("budget-cost", $"The issue's cost budget of ${maxCost} is spent (${cost}).")) is not null) return stop;
                continue;
            }

            attempts++;
            context.SetCustomStatus(Status("agent-working"));
            await TellAsync("agent-started", $"{Job.Agent} started on {issue} (run {attempts})", Job.Title, link: null);
            var outcome = await RunAgentAsync(Job with { Feedback = feedback });
            if (outcome.Kind == AgentOutcomeKind.Failed)
            {
                var failureClass = ClassOf(outcome);
                var why = failureClass == FailureClass.AuthFailed
                    ? $"The agent's credentials were refused: {outcome.Summary}"
                    : $"The agent failed ({failureClass}): {outcome.Summary}";
                if ((stop = await EscalateAsync("agent-failed", why, state: "failed")) is not null) return stop;
                continue;
            }
            cost += outcome.Usage?.CostUsd ?? 0;

            if (outcome.Kind == AgentOutcomeKind.Blocked)
            {
                var question = outcome.Question ?? "(the agent did not say)";
                if (await AskAsync(question) is not { } answer)
                    return Result("needs-human", $"The agent's question was not answered: {question}");
                feedback = ["A person answered your question:", $"@{answer.By}: {answer.Text}"];
                continue;
            }
            if (outcome.HeadSha is null)
            {
                if ((stop = await EscalateAsync("agent-no-push", "The agent reported success but pushed nothing.", state: "failed")) is not null) return stop;
                continue;
            }
            head = outcome.HeadSha;
            lastSummary = outcome.Summary;
            return null;
        }
    }

    /// <summary>Runs an agent job to its outcome. A failure runs a new job after the back-off its class allows
    /// (<see cref="RetryPolicies.Agent"/>: AuthFailed, Permanent and StaleWorker are final); the last failure is returned.</summary>
    async Task<AgentOutcome> RunAgentAsync(AgentJobRequest request)
    {
        var started = context.CurrentUtcDateTime;
        var attempt = 0;
        AgentOutcome outcome;
        TimeSpan? delay = null;
        do
        {
            if (delay is { } wait) await PauseAsync(wait);
            attempt++;
            outcome = await RunJobAsync(request);
            if (outcome.Kind != AgentOutcomeKind.Failed) return outcome;
            var failureClass = ClassOf(outcome);
            // StaleWorker is final: the job was already offered to as many runners as allowed.
            delay = RetryPolicies.Agent.NextDelay(attempt, new ClassifiedFailure(failureClass, IsFinal: failureClass == FailureClass.StaleWorker),
                context.CurrentUtcDateTime - started, ClassifiedRetry.JitterSeed(context.InstanceId, jobs));
        }
        while (delay is not null);
        return outcome;
    }

    /// <summary>One agent job: queued as its own orchestration, its outcome awaited as an event, at most for the wait
    /// limit the queueing activity read from configuration (then it counts as a Timeout). A close cancels the job.</summary>
    async Task<AgentOutcome> RunJobAsync(AgentJobRequest request)
    {
        var jobId = $"{jobIds}:{++jobs}";
        // Not raced against a close: once queued, the job is known and can be cancelled; a close is seen at the wait.
        var queued = await context.CallActivityAsync<QueueAgentJobResult>(nameof(QueueAgentJob),
            new QueueAgentJobInput(jobId, context.InstanceId, request), RetryPolicies.Engine);
        using var stop = new CancellationTokenSource();
        var outcome = context.WaitForExternalEvent<AgentOutcome>(AgentJobEvents.OutcomeOf(jobId), stop.Token);
        var limit = context.CreateTimer(context.CurrentUtcDateTime + queued.WaitLimit, stop.Token);
        try
        {
            if (await Step(Task.WhenAny(outcome, limit)) == outcome) return await outcome;
            context.SendEvent(jobId, AgentJobEvents.Cancel, "timeout");
            return new AgentOutcome(AgentOutcomeKind.Failed, Summary: $"No outcome within {queued.WaitLimit}.",
                FailureClass: nameof(FailureClass.Timeout));
        }
        catch (IssueClosedException)
        {
            // Compensation: the job must not run on for an issue nobody works on any more.
            context.SendEvent(jobId, AgentJobEvents.Cancel, "closed");
            throw;
        }
        finally
        {
            // A timer left pending would keep the orchestration open until it fires.
            stop.Cancel();
        }
    }

    /// <summary>A retry's back-off, unless a person closes the issue first.</summary>
    async Task PauseAsync(TimeSpan wait)
    {
        using var stop = new CancellationTokenSource();
        try
        {
            await Step(context.CreateTimer(wait, stop.Token));
        }
        finally
        {
            stop.Cancel();
        }
    }

    static FailureClass ClassOf(AgentOutcome outcome) =>
        Enum.TryParse<FailureClass>(outcome.FailureClass, ignoreCase: true, out var parsed) ? parsed : FailureClass.Unknown;

    /// <summary>An instance id as a job id's part: letters, digits, '.', '-' and '_' only, so the id needs no escaping in
    /// a URL path.</summary>
    static string JobIdPart(string instanceId) =>
        new(instanceId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-').ToArray());

    /// <summary>Waits for CI on <paramref name="sha"/>: a CI webhook or the poll interval triggers a read of the
    /// combined state; gives up at <see cref="IssueLimits.CiTimeout"/>.</summary>
    async Task<CiStatus> WaitForCiAsync(string sha)
    {
        context.SetCustomStatus(Status("waiting-for-ci"));
        var started = context.CurrentUtcDateTime;
        var deadline = started + limits.CiTimeout;
        var status = await ReadCiAsync(sha);
        while (status.State is not (CiStatus.Success or CiStatus.Failure) && !NoCiMeansGreen(status, started) &&
               context.CurrentUtcDateTime < deadline)
        {
            var next = Min(deadline, context.CurrentUtcDateTime + limits.CiPollInterval);
            await WaitForEventOrTimeAsync<CiSignal>(PipelineEvents.CiCompleted, next);
            status = await ReadCiAsync(sha);
        }
        return NoCiMeansGreen(status, started) ? new CiStatus(CiStatus.Success, []) : status;
    }

    Task<CiStatus> ReadCiAsync(string sha) =>
        Step(context.CallActivityAsync<CiStatus>(nameof(ReadCiStatus), new CiQuery(issue.Repository, sha), RetryPolicies.GitHub));

    /// <summary>A repository without CI (<see cref="IssueLimits.RequireCi"/> false): no check reported within one poll
    /// interval counts as green.</summary>
    bool NoCiMeansGreen(CiStatus status, DateTime started) =>
        status.State == CiStatus.None && !limits.RequireCi && context.CurrentUtcDateTime >= started + limits.CiPollInterval;

    /// <summary>A review by the configured reviewer agent (never the implementer), posted on the pull request.</summary>
    async Task<AgentOutcome?> ReviewAsync()
    {
        reviewRounds++;
        context.SetCustomStatus(Status("in-review"));
        var reviewJob = Job with { Role = "review", Agent = work.ReviewerAgent, Model = work.ReviewerModel, Feedback = [] };
        var verdict = await RunAgentAsync(reviewJob);
        if (verdict.Kind == AgentOutcomeKind.Failed) return null;
        cost += verdict.Usage?.CostUsd ?? 0;
        var decision = verdict.Verdict == "approve" ? "approve" : "changes_requested";
        await Step(context.CallActivityAsync<bool>(nameof(PostReview), new ReviewPost(issue, pull!.Number, head!, decision,
            verdict.Summary ?? "", work.ReviewerModel is null ? work.ReviewerAgent : $"{work.ReviewerAgent} ({work.ReviewerModel})", reviewRounds),
            RetryPolicies.GitHub));
        return verdict with { Verdict = decision };
    }

    /// <summary>
    /// A human gate: <c>baton/human-gate</c> pending on the head, and an escalation asking allowed people to approve or reject.
    /// An approving GitHub review on the head (checked at once and on every review webhook) or an approval through the
    /// escalation passes it. An approval clicked while the pull request had another head is void: the gate asks again.
    /// Returns null when the gate is passed, otherwise the result to stop with (rejected, or nobody decided).
    /// </summary>
    async Task<IssueResult?> PassGateAsync(GateOutcome gate)
    {
        context.SetCustomStatus(Status("waiting-for-approval"));
        var shortHead = CommitSha.Short(head);
        await SetGateAsync("pending", $"Waiting for an allowed person to approve {shortHead}");
        var request = new EscalationRequest("gate", $"{issue.Repository}#{pull!.Number}",
            $"Pull request #{pull.Number} touches {string.Join(", ", gate.Classes)}: a person must approve it",
            $"{gate.Explanation}\n\nApproving approves the head {head} only; a new push voids it. The reviewer agent's approval never counts.",
            [EscalationActions.Approve, EscalationActions.Reject], issue, pull.Number, head, gate.Approvers);
        // Bounded by people: it goes round again only when someone approved a head that is no longer the pull request's.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            var escalation = OpenEscalation(request);
            using var stop = new CancellationTokenSource();
            try
            {
                // Bounded by the escalation: it ends at its final timeout at the latest, and each review wakes this once.
#pragma warning disable DURABLE0011
                while (true)
#pragma warning restore DURABLE0011
                {
                    var check = await Step(context.CallActivityAsync<ApprovalOutcome>(nameof(CheckApproval),
                        new ApprovalQuery(issue, pull.Number, head!, gate.Approvers, work.BotLogin), RetryPolicies.GitHub));
                    if (check.Satisfied)
                    {
                        escalation.Withdraw(context, $"approved by @{check.By} on GitHub");
                        return await ApprovedAsync($"@{check.By} on GitHub");
                    }
                    var review = context.WaitForExternalEvent<ReviewSignal>(PipelineEvents.ReviewSubmitted, stop.Token);
                    if (await Step(Task.WhenAny(escalation.Outcome, review)) == review) continue;

                    var decision = await escalation.Outcome;
                    if (decision.Action == EscalationActions.Approve)
                    {
                        if (decision.HeadSha is null || string.Equals(decision.HeadSha, head, StringComparison.OrdinalIgnoreCase))
                            return await ApprovedAsync($"{decision.By} via {decision.Via}");
                        await TellAsync("gate-voided", $"The approval of #{pull.Number} by {decision.By} was for {CommitSha.Short(decision.HeadSha)}, not {shortHead}",
                            "A new push voids approvals: Baton asks again.", pull.Url);
                        break;
                    }
                    var reason = decision.Text is { Length: > 0 } text ? text : "(no reason given)";
                    if (decision.Action == EscalationActions.Reject)
                    {
                        await SetGateAsync("failure", $"Rejected by {decision.By}");
                        await Step(context.CallActivityAsync<bool>(nameof(ClosePullRequest), new PullRequestClosing(issue, pull.Number,
                            $"{(decision.TimedOut ? "Nobody approved this change in time, so Baton rejected it" : $"{decision.By} rejected this change")}: {reason}"),
                            RetryPolicies.GitHub));
                        return Result("rejected", $"#{pull.Number} rejected by {decision.By}: {reason}");
                    }
                    return Result("needs-human", $"#{pull.Number} waits for a person's approval: {reason}");
                }
            }
            catch (IssueClosedException)
            {
                escalation.Withdraw(context, "the issue was closed");
                throw;
            }
            finally
            {
                stop.Cancel();
            }
        }
    }

    async Task<IssueResult?> ApprovedAsync(string by)
    {
        approvedSha = head;
        await SetGateAsync("success", $"Approved by {by}");
        return null;
    }

    Task SetGateAsync(string state, string description) =>
        Step(context.CallActivityAsync<bool>(nameof(SetGateStatus), new GateStatusUpdate(issue, pull!.Number, head!, state, description),
            RetryPolicies.GitHub));

    /// <summary>Asks allowed people the agent's question (an escalation, or <c>/baton answer</c> on the issue) and returns the
    /// first answer; null when they chose to stop, or nobody answered by the escalation's final timeout.</summary>
    async Task<AnswerSignal?> AskAsync(string question)
    {
        context.SetCustomStatus(Status("waiting-for-answer"));
        var escalation = OpenEscalation(new EscalationRequest("question", issue.ToString(), $"The agent working on {issue} has a question",
            $"The agent needs an answer before it can go on:\n\n> {question.Replace("\n", "\n> ")}",
            [EscalationActions.Answer, EscalationActions.Stop], issue, pull?.Number, null, work.Approvers));
        using var stop = new CancellationTokenSource();
        try
        {
            // Bounded by the escalation: it ends at its final timeout at the latest; each comment wakes this once.
#pragma warning disable DURABLE0011
            while (true)
#pragma warning restore DURABLE0011
            {
                var onGitHub = context.WaitForExternalEvent<AnswerSignal>(PipelineEvents.AnswerPosted, stop.Token);
                if (await Step(Task.WhenAny(escalation.Outcome, onGitHub)) == escalation.Outcome)
                {
                    var decision = await escalation.Outcome;
                    return decision.Action == EscalationActions.Answer ? new AnswerSignal(decision.GitHubLogin ?? decision.By, decision.Text ?? "") : null;
                }
                var answer = await onGitHub;
                if (!work.Approvers.Contains(answer.By, StringComparer.OrdinalIgnoreCase)) continue;   // not an allowed person
                escalation.Withdraw(context, $"answered on GitHub by @{answer.By}");
                return answer;
            }
        }
        catch (IssueClosedException)
        {
            escalation.Withdraw(context, "the issue was closed");
            throw;
        }
        finally
        {
            stop.Cancel();
        }
    }

    /// <summary>Asks people what to do when the pipeline cannot go on by itself: <b>try again</b> (another round, with their
    /// guidance; the self-heal and review counters start over and the run and cost budgets grow by one issue's worth) or
    /// <b>stop</b>, the default when nobody answers. Returns null to go round again, or the result to stop with.</summary>
    /// <param name="failures">What the agent is told on a retry, before the person's guidance.</param>
    async Task<IssueResult?> EscalateAsync(string kind, string why, string state = "needs-human", IReadOnlyList<string>? failures = null)
    {
        context.SetCustomStatus(Status("needs-human"));
        var escalation = OpenEscalation(new EscalationRequest(kind, issue.ToString(), $"{issue} needs a person",
            $"{why}\n\n**Try again** gives the agent another round, with your guidance if you write some; **Stop** leaves the issue to people.",
            [EscalationActions.Retry, EscalationActions.Stop], issue, pull?.Number, null, work.Approvers));
        EscalationOutcome decision;
        try
        {
            decision = await Step(escalation.Outcome);
        }
        catch (IssueClosedException)
        {
            escalation.Withdraw(context, "the issue was closed");
            throw;
        }
        if (decision.Action != EscalationActions.Retry) return Result(state, why);

        feedback = [.. failures ?? [], .. decision.Text is { Length: > 0 } guidance
            ? new[] { "A person asked you to try again:", $"{decision.By}: {guidance}" }
            : ["A person asked you to try again."]];
        (selfHeals, reviewRounds) = (0, 0);
        runBudget = attempts + limits.MaxAgentRuns;
        if (limits.MaxIssueCostUsd is { } perIssue) costBudget = cost + perIssue;
        return null;
    }

    /// <summary>Starts an escalation as a sub-orchestration under an id of its own (deterministic on replay).</summary>
    PendingEscalation OpenEscalation(EscalationRequest request)
    {
        var instanceId = EscalationIds.InstanceIdFor(context.NewGuid().ToString("N"));
        var outcome = context.CallSubOrchestratorAsync<EscalationOutcome>(nameof(EscalationOrchestration), request,
            new SubOrchestrationOptions { InstanceId = instanceId });
        return new PendingEscalation(instanceId, outcome);
    }

    sealed record PendingEscalation(string InstanceId, Task<EscalationOutcome> Outcome)
    {
        /// <summary>Ends it without an answer (settled elsewhere), unless it has ended already.</summary>
        public void Withdraw(TaskOrchestrationContext context, string reason)
        {
            if (!Outcome.IsCompleted) context.SendEvent(InstanceId, EscalationEvents.Withdraw, new EscalationWithdrawal(reason));
        }
    }

    /// <summary>The event (<c>Came</c> true) or, at <paramref name="until"/>, nothing.</summary>
    async Task<(bool Came, T? Payload)> WaitForEventOrTimeAsync<T>(string eventName, DateTime until)
    {
        using var cancel = new CancellationTokenSource();
        var signal = context.WaitForExternalEvent<T>(eventName, cancel.Token);
        var timer = context.CreateTimer(until, cancel.Token);
        try
        {
            var first = await Step(Task.WhenAny(signal, timer));
            return first == signal ? (true, await signal) : (false, default);
        }
        finally
        {
            // Also when the issue is closed meanwhile: a timer left pending would keep the orchestration open until it fires.
            cancel.Cancel();
        }
    }

    /// <summary>Tells people how the work goes (agent started, pull request ready, CI failed, …): a notification only, which
    /// never blocks the pipeline. It links the issue and, once there is one, the pull request.</summary>
    Task TellAsync(string kind, string title, string detail, string? link)
    {
        List<NotificationLink> links = [];
        if (work.IssueUrl is { } issueUrl) links.Add(new NotificationLink($"Issue {issue}", issueUrl));
        if (pull is not null) links.Add(new NotificationLink($"Pull request #{pull.Number}", pull.Url));
        return Step(context.CallActivityAsync<bool>(nameof(SendNotification), new Notification(kind, title, detail, link) { Links = links },
            RetryPolicies.Engine));
    }

    /// <summary>Awaits a step unless a person closes the issue first.</summary>
    async Task Step(Task step)
    {
        if (await Task.WhenAny(step, closed) == closed) throw new IssueClosedException(await closed ?? "someone");
        await step;
    }

    /// <summary>Awaits a step unless a person closes the issue first.</summary>
    async Task<T> Step<T>(Task<T> step)
    {
        if (await Task.WhenAny(step, closed) == closed) throw new IssueClosedException(await closed ?? "someone");
        return await step;
    }

    public IssueResult Result(string state, string summary) => new(state, summary)
    {
        AgentAttempts = attempts,
        ReviewRounds = reviewRounds,
        SelfHeals = selfHeals,
        Gated = gated,
        ApprovedSha = approvedSha,
        PullRequest = pull?.Number,
        CostUsd = cost,
    };

    public IssueStatus Status(string stage) => new(stage, issue.ToString(), Job.Agent, Job.Branch)
    {
        AgentAttempts = attempts,
        ReviewRounds = reviewRounds,
        PullRequest = pull?.Number,
        HeadSha = head,
    };

    static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

}

using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.PullRequests;
using Baton.Orchestrations.Conductor;
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
/// until an allowed person approves the current head; merge, mark done and close. A blocked agent's question waits
/// for a person's <c>/baton answer</c>. Every wait has a timeout or a reminder; every way out that needs a person
/// adds <c>needs-human</c> with a comment saying why. A person closing the issue ends it at any point (a running job is
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
    int attempts, reviewRounds, selfHeals, questions, jobs;
    decimal cost;

    public IssueRun(TaskOrchestrationContext context, IssueRef issue, IssueWork work)
    {
        (this.context, this.issue, this.work, limits) = (context, issue, work, work.Limits);
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
        // Bounded, which the analyzer cannot see: every round that goes round again spends a self-heal or a review
        // round, and both are capped (IssueLimits.MaxSelfHeal, MaxReviewRounds).
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            if (await ImplementAsync() is { } stop) return stop;
            pull ??= await Step(context.CallActivityAsync<PullRequestInfo>(nameof(OpenPullRequest),
                new PullRequestRequest(issue, Job.Branch, Job.BaseBranch, Job.Title, lastSummary), RetryPolicies.GitHub));

            var ci = await WaitForCiAsync(head!);
            if (ci.State != CiStatus.Success)
            {
                if (ci.State != CiStatus.Failure)
                    return await EscalateAsync("ci-timeout", $"CI did not finish on {CommitSha.Short(head)} within {limits.CiTimeout}.");
                if (selfHeals >= limits.MaxSelfHeal)
                    return await EscalateAsync("ci-red", $"CI is still red on {CommitSha.Short(head)} after {selfHeals} self-heal attempts:\n" +
                                                          string.Join('\n', ci.Failures.Select(f => "- " + f)));
                selfHeals++;
                feedback = ["CI failed on your last push. Fix these checks:", .. ci.Failures];
                continue;
            }

            var review = await ReviewAsync();
            if (review is null) return await EscalateAsync("review-failed", "The reviewer agent could not review the change.");
            if (review.Verdict != "approve")
            {
                if (reviewRounds > limits.MaxReviewRounds)
                    return await EscalateAsync("review-rounds", $"The reviewer still requests changes after {reviewRounds} rounds.");
                feedback = ["The reviewer requested changes:", review.Summary ?? "(no details)"];
                continue;
            }
            break;
        }

        var gate = await Step(context.CallActivityAsync<GateOutcome>(nameof(DecideGates),
            new GateQuery(issue, pull!.Number, head!, Job.BaseBranch, work.Approvers), RetryPolicies.GitHub));
        if (gate.Gated)
        {
            gated = true;
            await NotifyAsync("gate-waiting", $"gate-{CommitSha.Short(head)}", needsHuman: true,
                $"Pull request #{pull.Number} touches {string.Join(", ", gate.Classes)}, so a person must approve it before it merges.",
                $"{gate.Explanation}\n\nApprove the pull request on its current head ({head}) to let Baton merge it. " +
                $"Allowed: {Names(gate.Approvers)}. A new push voids an approval; the reviewer agent's never counts.");
            approvedSha = await WaitForApprovalAsync(gate.Approvers);
        }

        // Not raced against a close: merging closes the issue ("Closes #N", or the merge step itself), and that
        // webhook can arrive before the merge call returns. Once Baton merges, a close is its own.
        var merge = await context.CallActivityAsync<MergeOutcome>(nameof(MergePullRequest),
            new MergeRequest(issue, pull!.Number, head!, limits.MergeMethod, Job.Title), RetryPolicies.GitHub);
        if (!merge.Merged)
            return await EscalateAsync("merge", merge.HeadMoved
                ? $"The head of #{pull.Number} moved after it was checked ({CommitSha.Short(head)}); Baton did not merge it."
                : $"GitHub refused to merge #{pull.Number}: {merge.Message}");
        return Result("merged", $"merged #{pull.Number} as {CommitSha.Short(merge.Sha)}") with { MergedSha = merge.Sha };
    }

    /// <summary>Runs the implementer until it pushes; a question waits for a person's answer and runs it again.
    /// Returns a result only when the pipeline must stop.</summary>
    async Task<IssueResult?> ImplementAsync()
    {
        while (attempts < limits.MaxAgentRuns)
        {
            if (limits.MaxIssueCostUsd is { } maxCost && cost >= maxCost)
                return await EscalateAsync("budget-cost", $"The issue's cost budget of ${maxCost} is spent (${cost}).");

            attempts++;
            context.SetCustomStatus(Status("agent-working"));
            var outcome = await RunAgentAsync(Job with { Feedback = feedback });
            if (outcome.Kind == AgentOutcomeKind.Failed)
            {
                var failureClass = ClassOf(outcome);
                var why = failureClass == FailureClass.AuthFailed
                    ? $"The agent's credentials were refused: {outcome.Summary}"
                    : $"The agent failed ({failureClass}): {outcome.Summary}";
                return await EscalateAsync("agent-failed", why, state: "failed");
            }
            cost += outcome.Usage?.CostUsd ?? 0;

            if (outcome.Kind == AgentOutcomeKind.Blocked)
            {
                var answer = await AskAsync(outcome.Question ?? "(the agent did not say)");
                feedback = ["A person answered your question:", $"@{answer.By}: {answer.Text}"];
                continue;
            }
            if (outcome.HeadSha is null)
                return await EscalateAsync("agent-no-push", "The agent reported success but pushed nothing.", state: "failed");
            head = outcome.HeadSha;
            lastSummary = outcome.Summary;
            return null;
        }
        return await EscalateAsync("budget-runs", $"The issue's budget of {limits.MaxAgentRuns} agent runs is spent.");
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

    /// <summary>Waits until an allowed person's approving review is on the current head, reminding people meanwhile.</summary>
    async Task<string> WaitForApprovalAsync(IReadOnlyList<string> approvers)
    {
        context.SetCustomStatus(Status("waiting-for-approval"));
        var reminders = 0;
        // Not bounded yet: a gate waits for a person as long as it takes, with a reminder every HumanReminder (a few
        // events a day). The escalation ladder with a final timeout (issue "people in the loop") bounds it.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            var check = await Step(context.CallActivityAsync<ApprovalOutcome>(nameof(CheckApproval),
                new ApprovalQuery(issue, pull!.Number, head!, approvers, work.BotLogin), RetryPolicies.GitHub));
            if (check.Satisfied) return head!;
            var remindAt = context.CurrentUtcDateTime + limits.HumanReminder;
            if (!(await WaitForEventOrTimeAsync<ReviewSignal>(PipelineEvents.ReviewSubmitted, remindAt)).Came)
            {
                reminders++;
                await NotifyAsync("gate-reminder", $"gate-{CommitSha.Short(head)}-reminder-{reminders}", needsHuman: true,
                    $"Reminder: #{pull.Number} still waits for an approval on {CommitSha.Short(head)}", check.Why);
            }
        }
    }

    /// <summary>Posts the agent's question and waits for an allowed person's <c>/baton answer</c>.</summary>
    async Task<AnswerSignal> AskAsync(string question)
    {
        questions++;
        context.SetCustomStatus(Status("waiting-for-answer"));
        await NotifyAsync("question", $"question-{questions}", needsHuman: false, $"The agent working on {issue} has a question",
            $"The agent needs an answer before it can go on:\n\n> {question.Replace("\n", "\n> ")}\n\n" +
            $"Reply on this issue with `/baton answer <your answer>`. Allowed: {Names(work.Approvers)}.");
        var reminders = 0;
        while (true)
        {
            var (came, answer) = await WaitForEventOrTimeAsync<AnswerSignal>(PipelineEvents.AnswerPosted,
                context.CurrentUtcDateTime + limits.HumanReminder);
            if (came)
            {
                if (work.Approvers.Contains(answer!.By, StringComparer.OrdinalIgnoreCase)) return answer;
                continue;   // not an allowed person: keep waiting
            }
            reminders++;
            await NotifyAsync("question-reminder", $"question-{questions}-reminder-{reminders}", needsHuman: false,
                $"Reminder: the agent on {issue} still waits for an answer", question);
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

    async Task<IssueResult> EscalateAsync(string marker, string why, string state = "needs-human")
    {
        await NotifyAsync("escalation", marker, needsHuman: true, $"{issue} needs a person", why);
        return Result(state, why);
    }

    Task NotifyAsync(string kind, string marker, bool needsHuman, string title, string body) =>
        Step(context.CallActivityAsync<bool>(nameof(NotifyPeople), new PeopleNotice(issue, kind, title, $"{title}\n\n{body}", marker, needsHuman),
            RetryPolicies.GitHub));

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

    static string Names(IReadOnlyList<string> people) => people.Count == 0 ? "nobody is configured (Pipeline__Approvers__N)" : string.Join(", ", people.Select(p => "@" + p));
}

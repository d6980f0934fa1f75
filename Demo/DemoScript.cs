using System.Diagnostics;
using System.Text.Json;
using Baton.Demo.GitHubEmulator;
using Baton.Demo.Scenarios;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Pipeline;
using Microsoft.DurableTask.Client;

namespace Baton.Demo;

/// <summary>The GitHub issues Baton filed itself from <paramref name="Source"/> (a Jira feature's key, a spoken request's
/// ticket), numbered as the scenario numbers them, and their milestone when there is one.</summary>
sealed record FiledByBaton(string Source, IReadOnlyDictionary<int, EmulatedIssueRef> Issues, int? Milestone);

/// <summary>What the people of a scenario do during the demo (file issues, approve pull requests) and what is
/// printed: the conductor's rounds and each issue's steps as its orchestration reports them.</summary>
/// <remarks>With a Jira feature or a spoken request (<paramref name="feature"/>) Baton has already created and labelled the
/// issues (a feature's in its milestone).</remarks>
sealed class DemoScript(DemoScenario scenario, GitHubEmulator.GitHubEmulator github, DurableTaskClient baton, DemoPeople people, TextWriter output,
    FiledByBaton? feature = null)
{
    static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    /// <summary>How long an issue must wait for a person, with no approval or answer still to come, before the demo calls it
    /// stuck: counted from its last step or the last decision given on it, whichever is later, so that a decision given while
    /// it waited has time to be applied.</summary>
    static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(5);

    readonly Stopwatch clock = new();
    readonly Dictionary<int, EmulatedIssueRef> filed = [];
    readonly HashSet<int> labelled = [];
    readonly HashSet<ScenarioApproval> approved = [];
    readonly HashSet<ScenarioAnswer> answered = [];
    readonly Dictionary<int, string> lastStep = [];
    readonly Dictionary<int, TimeSpan> stepSince = [];
    readonly Dictionary<int, TimeSpan> actedAt = [];   // when a person last approved or answered on the issue
    readonly List<string> order = [];                 // the order the agent started issues in
    int? milestone;
    int lastRound;
    string? lastQueue;

    /// <summary>Plays until nothing more can happen without someone outside the scenario; the summary JSON, or null
    /// at the timeout.</summary>
    public async Task<string?> PlayAsync(TimeSpan timeout)
    {
        clock.Start();
        if (scenario.Milestone is { } title) milestone = github.CreateMilestone(scenario.Repository, title);
        if (feature is not null)
        {
            foreach (var (number, issue) in feature.Issues) (filed[number], _) = (issue, labelled.Add(number));
            milestone = feature.Milestone;
        }
        await Say($"Scenario: {scenario.Issues.Count} issues in {scenario.Repository}, {scenario.Capacity} agent slots.");
        try
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (true)
            {
                await FileDueIssuesAsync();
                await ApproveDueAsync();
                await AnswerQuestionsAsync();
                await PrintRoundAsync();
                var states = await ReadStatesAsync();
                if (IsSettled(states) && await MilestoneSettledAsync(states, deadline.Token)) return await SummaryAsync(states);
                await Task.Delay(200, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Files every issue at once (so GitHub numbers them as the scenario does), then labels each when due.</summary>
    async Task FileDueIssuesAsync()
    {
        foreach (var issue in scenario.Issues.Where(i => !filed.ContainsKey(i.Number)))
        {
            var reference = github.CreateIssue(scenario.Repository, issue.Title, issue.Body, "product-owner", []);
            if (reference.Number != issue.Number)
                throw new InvalidOperationException($"The emulator numbered '{issue.Title}' #{reference.Number}, not #{issue.Number}.");
            filed[issue.Number] = reference;
            if (milestone is { } m) github.SetMilestone(reference, m);
            foreach (var blocker in issue.AllBlockedBy) github.AddBlockedBy(reference, filed[blocker]);
        }
        foreach (var issue in scenario.Issues.Where(i => !labelled.Contains(i.Number) && i.LabelsAfterSeconds <= clock.Elapsed.TotalSeconds))
        {
            labelled.Add(issue.Number);
            foreach (var label in issue.AllLabels) github.AddLabel(filed[issue.Number], label, by: "cto");
            var blockers = issue.AllBlockedBy.Count == 0 ? "" : $", blocked by {string.Join(", ", issue.AllBlockedBy.Select(b => "#" + b))}";
            await Say($"#{issue.Number} \"{issue.Title}\" [{string.Join(", ", issue.AllLabels)}]{blockers}.");
        }
    }

    /// <summary>An approval is given at its time on the pull request's head at that moment: a review on GitHub once the pull
    /// request exists, or the Approve button once Baton asks for it.</summary>
    async Task ApproveDueAsync()
    {
        var gates = scenario.AllApprovals.Any(a => a.Via == ScenarioApproval.Discord && !approved.Contains(a))
            ? await people.OpenAsync("gate", scenario.Repository)
            : new Dictionary<int, string>();
        foreach (var approval in scenario.AllApprovals.Where(a => !approved.Contains(a) && a.AfterSeconds <= clock.Elapsed.TotalSeconds))
        {
            if (!filed.ContainsKey(approval.Issue)) continue;
            await github.SyncGitAsync();
            var branch = Activities.Conductor.ClaimIssue.BranchName(approval.Issue, scenario.Issue(approval.Issue)!.Title);
            if (github.FindPullRequest(scenario.Repository, branch) is not { } pull) continue;
            var view = github.GetPullRequest(pull);
            if (approval.Via == ScenarioApproval.Discord)
            {
                if (!gates.TryGetValue(approval.Issue, out var gate)) continue;
                if (await people.ApproveAsync(gate, approval.By) is not { } seen) continue;   // the message is not in the channel yet
                await Say($"{approval.By} presses Approve on Baton's message about pull request #{pull.Number} (#{approval.Issue}, head {view.HeadSha[..7]}) {people.Where}; {seen}");
            }
            else
            {
                github.ApproveReview(pull, approval.By, view.HeadSha);
                await Say($"@{approval.By} approves pull request #{pull.Number} (#{approval.Issue}) on {view.HeadSha[..7]}.");
            }
            approved.Add(approval);
            actedAt[approval.Issue] = clock.Elapsed;
        }
    }

    /// <summary>Each scripted answer is given once the agent's question about its issue is out.</summary>
    async Task AnswerQuestionsAsync()
    {
        if (scenario.AllAnswers.All(answered.Contains)) return;
        var questions = await people.OpenAsync("question", scenario.Repository);
        foreach (var answer in scenario.AllAnswers.Where(a => !answered.Contains(a)))
        {
            if (!questions.TryGetValue(answer.Issue, out var question)) continue;
            if (await people.AnswerAsync(question, answer) is not { } seen) continue;   // the message is not in the channel yet
            answered.Add(answer);
            actedAt[answer.Issue] = clock.Elapsed;
            await Say($"{answer.By} answers the agent's question on #{answer.Issue} {people.Where} (Answer, then Baton's form): \"{answer.Text}\"; {seen}");
        }
    }

    /// <summary>Each issue's state for the summary and the end condition, printing steps as they change.</summary>
    async Task<Dictionary<int, IssueState>> ReadStatesAsync()
    {
        var states = scenario.Issues.ToDictionary(i => i.Number, _ => IssueState.NotStarted);
        await foreach (var instance in baton.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "issue:", FetchInputsAndOutputs = true }))
        {
            var issue = instance.ReadInputAs<IssueRef>();
            if (issue is null || issue.Repository != scenario.Repository || !states.ContainsKey(issue.Number)) continue;
            var status = instance.ReadCustomStatusAs<IssueStatus>();
            var result = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<IssueResult>() : null;
            var state = new IssueState(instance.RuntimeStatus, status, result);
            states[issue.Number] = state;
            await PrintStepAsync(issue.Number, state);
        }
        return states;
    }

    async Task PrintStepAsync(int number, IssueState state)
    {
        var step = state.Result is { } result
            ? $"{result.State}: {result.Summary}"
            : state.Status is { } status ? Describe(status) : null;
        if (step is null || lastStep.GetValueOrDefault(number) == step) return;
        if (!lastStep.ContainsKey(number)) order.Add($"#{number}");
        lastStep[number] = step;
        stepSince[number] = clock.Elapsed;
        await Say($"  #{number} {step}");
    }

    static string Describe(IssueStatus status) => status.Stage switch
    {
        "agent-working" => $"agent working (run {status.AgentAttempts}) on {status.Branch}",
        "waiting-for-ci" => $"waiting for CI on {CommitSha.Short(status.HeadSha)} (PR #{status.PullRequest})",
        "in-review" => $"reviewer agent reviewing (round {status.ReviewRounds})",
        "waiting-for-approval" => $"gated: waiting for a person's approval on {CommitSha.Short(status.HeadSha)}",
        "waiting-for-answer" => "waiting for a person's answer",
        _ => status.Stage,
    };

    /// <summary>Nothing more can happen without someone outside the scenario: every issue is merged, failed or waits
    /// for a person no scheduled approval will come from, or can never start (unapproved, or behind such an issue).</summary>
    bool IsSettled(Dictionary<int, IssueState> states)
    {
        if (labelled.Count < scenario.Issues.Count || states.Values.Any(s => s.Runtime is OrchestrationRuntimeStatus.Pending)) return false;
        return scenario.Issues.All(issue => IsFinal(issue, states));
    }

    bool IsFinal(ScenarioIssue issue, Dictionary<int, IssueState> states)
    {
        var state = states[issue.Number];
        if (state.Result is not null) return true;
        if (state.Status?.Stage is "waiting-for-approval" or "waiting-for-answer" or "needs-human")
        {
            // Settled once no approval is still to come and the last one has had time to be seen.
            var pending = scenario.AllApprovals.Any(a => a.Issue == issue.Number && !approved.Contains(a)
                                                         && scenario.AllowedApprovers.Contains(a.By, StringComparer.OrdinalIgnoreCase))
                          || scenario.AllAnswers.Any(a => a.Issue == issue.Number && !answered.Contains(a));
            var since = Max(stepSince.GetValueOrDefault(issue.Number), actedAt.GetValueOrDefault(issue.Number));
            return !pending && clock.Elapsed - since >= QuietPeriod;
        }
        if (state.Runtime is not null) return false;
        var approvedByBaton = feature?.Issues.ContainsKey(issue.Number) == true;   // Baton filed it labelled approved
        if (!approvedByBaton && !issue.AllLabels.Contains(BoardLabels.Approved, StringComparer.OrdinalIgnoreCase)) return true;
        return issue.AllBlockedBy.Any(b => IsFinal(scenario.Issue(b)!, states) && SummaryState(states[b]) != "merged");
    }

    /// <summary>When every issue merged, the conductor closes the milestone in its next round: wait for that too.</summary>
    async Task<bool> MilestoneSettledAsync(Dictionary<int, IssueState> states, CancellationToken cancellationToken)
    {
        if (milestone is not { } m || states.Values.Any(s => SummaryState(s) != "merged")) return true;
        while (github.GetMilestone(scenario.Repository, m).State != "closed") await Task.Delay(100, cancellationToken);
        var closed = github.GetMilestone(scenario.Repository, m);
        await Say($"The conductor closed the milestone \"{closed.Title}\" ({closed.ClosedIssues} issues) and sent a milestone-complete notification.");
        return true;
    }

    async Task<string> SummaryAsync(Dictionary<int, IssueState> states)
    {
        await Say($"Settled. Order of work: {string.Join(" → ", order)}.");
        var issues = scenario.Issues.Select(issue =>
        {
            var state = states[issue.Number];
            var result = state.Result;
            return new SummaryIssue(issue.Number, SummaryState(state), result?.State == "merged",
                result?.AgentAttempts ?? state.Status?.AgentAttempts ?? 0,
                result?.ReviewRounds ?? state.Status?.ReviewRounds ?? 0,
                result?.Gated ?? state.Status?.Stage == "waiting-for-approval",
                result?.ApprovedSha, result?.MergedSha);
        }).ToList();
        return JsonSerializer.Serialize(new { issues }, SummaryJson);
    }

    static string SummaryState(IssueState state) => state.Result?.State switch
    {
        "merged" => "merged",
        "failed" => "failed",
        "needs-human" => "needs-human",
        null when state.Status?.Stage is "waiting-for-approval" or "waiting-for-answer" or "needs-human" => "needs-human",
        _ => "open",
    };

    async Task PrintRoundAsync()
    {
        var conductor = await baton.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true);
        var status = conductor?.ReadCustomStatusAs<ConductorStatus>();
        if (status is null || status.Round == lastRound) return;
        lastRound = status.Round;
        var waiting = status.Waiting.Count == 0 ? "nothing waiting" : "waiting: " + string.Join(", ", status.Waiting.Select(w => $"#{w.Issue.Number} ({Describe(w)})"));
        var queue = $"{status.Running} running; {waiting}";
        if (queue == lastQueue) return;
        lastQueue = queue;
        await Say($"Conductor round {status.Round} (woken by {conductor!.ReadInputAs<ConductorRound>()?.Reason}): {queue}");
    }

    static string Describe(WaitingIssue waiting) => waiting.Reason switch
    {
        WaitReason.BlockedByOpenIssue => "blocked by " + string.Join(", ", waiting.OpenBlockers.Select(b => $"#{b.Number}")),
        WaitReason.NoFreeSlot => "no free slot",
        WaitReason.InDependencyCycle => "in a dependency cycle",
        _ => waiting.Reason.ToString(),
    };

    Task Say(string line) => output.WriteLineAsync($"{clock.Elapsed.TotalSeconds,6:0.0}s {line}");

    sealed record IssueState(OrchestrationRuntimeStatus? Runtime, IssueStatus? Status, IssueResult? Result)
    {
        public static readonly IssueState NotStarted = new(null, null, null);
    }

    sealed record SummaryIssue(int Number, string State, bool Merged, int AgentAttempts, int ReviewRounds, bool Gated,
        string? ApprovedSha, string? MergedSha);

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

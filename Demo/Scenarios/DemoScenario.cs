using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Demo.Scenarios;

/// <summary>
/// A demo scenario (<c>baton demo --scenario file.json</c>): a repository with issues, what the scripted agent
/// changes for each, how CI and the reviewer answer each attempt, and when people approve. Unknown fields are an
/// error, so a typo never silently changes the story.
/// </summary>
/// <param name="Repository">owner/repo.</param>
/// <param name="Capacity">Agent slots (<c>Conductor__Capacity</c>).</param>
/// <param name="Issues">Numbered 1..N in order, as a fresh repository numbers them.</param>
/// <param name="Approvals">Human approvals of gated pull requests, each on the pull request's head at that moment: an
/// approving review on GitHub, or the Approve button of Baton's Discord message (<see cref="ScenarioApproval.Via"/>).</param>
/// <param name="Answers">People answering the agent's questions (<see cref="ScenarioIssue.Question"/>) once asked.</param>
/// <param name="Approvers">Who may satisfy gates and answer; default: everyone named in <see cref="Approvals"/> and
/// <see cref="Answers"/>.</param>
/// <param name="Milestone">Optional: every issue goes into a milestone of this title, which Baton closes when done.</param>
/// <param name="Jira">Optional: the issues are not filed by people but planned by Baton from this Jira feature (the
/// scripted model answers with the scenario's issues), approved, created in a milestone, and the Jira issue ends Done.</param>
/// <param name="Voice">Optional: the one issue is not filed by people but spoken (<see cref="ScenarioVoice"/>): Baton
/// transcribes the recording, asks one question, files the Jira ticket and the GitHub issue, and the agent delivers it.</param>
public sealed record DemoScenario(
    string Repository,
    int Capacity,
    IReadOnlyList<ScenarioIssue> Issues,
    IReadOnlyList<ScenarioApproval>? Approvals = null,
    IReadOnlyList<string>? Approvers = null,
    string? Milestone = null,
    IReadOnlyList<ScenarioAnswer>? Answers = null,
    ScenarioJira? Jira = null,
    ScenarioVoice? Voice = null)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public IReadOnlyList<ScenarioApproval> AllApprovals => Approvals ?? [];

    public IReadOnlyList<ScenarioAnswer> AllAnswers => Answers ?? [];

    public IReadOnlyList<string> AllowedApprovers =>
        Approvers ?? AllApprovals.Select(a => a.By).Concat(AllAnswers.Select(a => a.By)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public ScenarioIssue? Issue(int number) => Issues.FirstOrDefault(i => i.Number == number);

    /// <summary>Reads and checks a scenario; a <see cref="DemoScenarioException"/> says what is wrong and where.</summary>
    public static DemoScenario Parse(string json, string source)
    {
        DemoScenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<DemoScenario>(json, Json);
        }
        catch (JsonException e)
        {
            throw new DemoScenarioException($"{source}: {e.Message}");
        }
        if (scenario is null) throw new DemoScenarioException($"{source}: the file is empty (null).");
        var problems = scenario.Problems().ToList();
        if (problems.Count > 0) throw new DemoScenarioException($"{source}:\n" + string.Join('\n', problems.Select(p => "  - " + p)));
        return scenario;
    }

    IEnumerable<string> Problems()
    {
        if (Repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }]) yield return $"repository '{Repository}' must be owner/repo.";
        if (Capacity is < 1 or > 20) yield return $"capacity {Capacity} must be 1 to 20.";
        if (Issues.Count == 0) yield return "issues must list at least one issue.";
        for (var i = 0; i < Issues.Count; i++)
        {
            var issue = Issues[i];
            var at = $"issues[{i}]";
            if (issue.LabelsAfterSeconds < 0) yield return $"{at}.labelsAfterSeconds must not be negative.";
            if (issue.Number != i + 1) yield return $"{at}.number is {issue.Number}: issues must be numbered 1..N in order.";
            if (string.IsNullOrWhiteSpace(issue.Title)) yield return $"{at}.title is empty.";
            foreach (var blocker in issue.AllBlockedBy.Where(b => b == issue.Number || b < 1 || b > Issues.Count))
                yield return $"{at}.blockedBy names #{blocker}, which is not another issue of the scenario.";
            foreach (var outcome in issue.AllCi.Where(c => c is not ("pass" or "fail")))
                yield return $"{at}.ci has '{outcome}': use \"pass\" or \"fail\".";
            foreach (var verdict in issue.AllReview.Where(r => r is not ("approve" or "changes_requested")))
                yield return $"{at}.review has '{verdict}': use \"approve\" or \"changes_requested\".";
            foreach (var path in issue.AllChanges.Where(p => p.Length == 0 || p.StartsWith('/') || p.Split('/').Contains("..") || p.StartsWith(".git")))
                yield return $"{at}.changes has '{path}': use a relative path inside the repository.";
        }
        if (Jira is { } jira)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(jira.Project, "^[A-Z][A-Z0-9]{1,9}$")) yield return $"jira.project '{jira.Project}' must be a Jira project key such as SHOP.";
            if (string.IsNullOrWhiteSpace(jira.Summary)) yield return "jira.summary is empty.";
            if (Milestone is not null) yield return "milestone: with jira, Baton names the milestone after the feature; leave it out.";
            if (Issues.Any(i => i.LabelsAfterSeconds > 0)) yield return "labelsAfterSeconds: with jira, Baton creates and labels every issue at approval; leave it out.";
        }
        if (Voice is { } voice)
        {
            if (Jira is not null) yield return "voice and jira: a scenario starts from one of them, not both.";
            if (!System.Text.RegularExpressions.Regex.IsMatch(voice.Project, "^[A-Z][A-Z0-9]{1,9}$")) yield return $"voice.project '{voice.Project}' must be a Jira project key such as SHOP.";
            if (Issues.Count != 1) yield return "voice: the spoken request becomes one issue; list exactly one.";
            foreach (var (field, value) in new[] { ("transcript", voice.Transcript), ("question", voice.Question), ("answer", voice.Answer) })
                if (string.IsNullOrWhiteSpace(value)) yield return $"voice.{field} is empty.";
            if (Milestone is not null) yield return "milestone: a spoken request is filed without one; leave it out.";
            if (Issues.Any(i => i.LabelsAfterSeconds > 0 || i.AllLabels.Count > 0)) yield return "labels: with voice, Baton labels the issue it files; leave them out.";
        }
        for (var i = 0; i < AllApprovals.Count; i++)
        {
            var approval = AllApprovals[i];
            if (Issue(approval.Issue) is null) yield return $"approvals[{i}].issue #{approval.Issue} is not an issue of the scenario.";
            if (string.IsNullOrWhiteSpace(approval.By)) yield return $"approvals[{i}].by is empty.";
            if (approval.AfterSeconds < 0) yield return $"approvals[{i}].afterSeconds must not be negative.";
            if (approval.Via is not (ScenarioApproval.GitHub or ScenarioApproval.Discord))
                yield return $"approvals[{i}].via is '{approval.Via}': use \"github\" (a review) or \"discord\" (the button).";
        }
        for (var i = 0; i < AllAnswers.Count; i++)
        {
            var answer = AllAnswers[i];
            if (Issue(answer.Issue) is not { Question: { Length: > 0 } })
                yield return $"answers[{i}].issue #{answer.Issue} is not an issue of the scenario whose agent asks a question.";
            if (string.IsNullOrWhiteSpace(answer.By)) yield return $"answers[{i}].by is empty.";
            if (string.IsNullOrWhiteSpace(answer.Text)) yield return $"answers[{i}].text is empty.";
        }
    }
}

/// <param name="Labels">Labels the issue starts with (<c>approved</c> to queue it, <c>critical</c>, …).</param>
/// <param name="BlockedBy">Numbers of the issues that block it (GitHub's native relationship).</param>
/// <param name="Changes">Paths the scripted agent writes on each attempt (what human gates look at).</param>
/// <param name="Ci">CI's outcome per attempt on this issue's branch, "pass" or "fail"; the last repeats; empty: pass.</param>
/// <param name="Review">The reviewer's verdict per round; the last repeats; empty: approve.</param>
/// <param name="Body">The issue's text (untrusted: the agent gets it wrapped).</param>
/// <param name="Question">The scripted agent asks this on its first run (and changes nothing), then works as planned
/// once a person has answered (<see cref="DemoScenario.Answers"/>).</param>
/// <param name="LabelsAfterSeconds">The labels are added this long after the demo starts instead of at once: a bug
/// triaged midway interrupts the queue. (Every issue is filed at the start, so GitHub numbers it as the scenario does:
/// pull requests share the numbering.)</param>
public sealed record ScenarioIssue(
    int Number,
    string Title,
    IReadOnlyList<string>? Labels = null,
    IReadOnlyList<int>? BlockedBy = null,
    IReadOnlyList<string>? Changes = null,
    IReadOnlyList<string>? Ci = null,
    IReadOnlyList<string>? Review = null,
    string? Body = null,
    double LabelsAfterSeconds = 0,
    string? Question = null)
{
    public IReadOnlyList<string> AllLabels => Labels ?? [];
    public IReadOnlyList<int> AllBlockedBy => BlockedBy ?? [];
    public IReadOnlyList<string> AllChanges => Changes is { Count: > 0 } ? Changes : [$"notes/issue-{Number}.md"];
    public IReadOnlyList<string> AllCi => Ci ?? [];
    public IReadOnlyList<string> AllReview => Review ?? [];

    /// <summary>CI's answer for the <paramref name="run"/>-th push (1-based).</summary>
    public bool CiPasses(int run) => AllCi.Count == 0 || AllCi[Math.Min(run, AllCi.Count) - 1] == "pass";
}

/// <param name="Via"><c>github</c> (default: an approving review) or <c>discord</c> (the Approve button on Baton's message).</param>
public sealed record ScenarioApproval(int Issue, string By, double AfterSeconds, string Via = ScenarioApproval.GitHub)
{
    public const string GitHub = "github", Discord = "discord";
}

/// <summary>A person answering the agent's question on an issue, on Discord (the Answer button and its form).</summary>
public sealed record ScenarioAnswer(int Issue, string By, string Text);

/// <summary>The Jira feature a scenario starts from: its project (configured to build in the scenario's repository), summary
/// and description.</summary>
public sealed record ScenarioJira(string Project, string Summary, string? Description = null);

/// <summary>A spoken request (<see cref="DemoScenario.Voice"/>): what the recording says (the scripted Whisper server's
/// transcript; the recording itself is <paramref name="Wav"/>, or spoken by espeak-ng from the transcript), the question the
/// scripted model asks first, and the speaker's answer, given through <c>POST /api/voice/{id}/clarify</c>.</summary>
/// <param name="Project">The Jira project, configured to build in the scenario's repository.</param>
/// <param name="Wav">A recording to upload instead, relative to the scenario file.</param>
public sealed record ScenarioVoice(string Project, string Transcript, string Question, string Answer, string? Wav = null);

public sealed class DemoScenarioException(string message) : Exception(message);

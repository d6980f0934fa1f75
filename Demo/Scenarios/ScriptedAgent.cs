using System.Globalization;

namespace Baton.Demo.Scenarios;

/// <summary>
/// The demo's agent: a short bash script the runner's generic <c>command</c> adapter runs in each job's fresh clone,
/// reading its plan from files the demo writes per issue. As implementer it writes the scenario's paths (new
/// content on every attempt, so each attempt is a real commit the runner pushes); as reviewer it answers the
/// scenario's verdict for that round in <c>.baton/review.json</c>; with a question in its plan, the first run only asks it
/// (<c>.baton/question.md</c>). Counters live in the plan folder, so a retried or re-offered job continues the count.
/// </summary>
static class ScriptedAgent
{
    public const string PlansVariable = "BATON_DEMO_PLANS";
    public const string SecondsVariable = "BATON_DEMO_AGENT_SECONDS";

    public const string Script = """
        set -eu
        plan="$BATON_DEMO_PLANS/issue-$BATON_ISSUE_NUMBER"
        sleep "$BATON_DEMO_AGENT_SECONDS"
        next() { n=$(( $(cat "$plan/$1" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$plan/$1"; echo "$n"; }
        pick() { line=$(sed -n "$2p" "$plan/$1"); [ -n "$line" ] || line=$(tail -n 1 "$plan/$1"); echo "${line:-$3}"; }
        if [ "$BATON_ROLE" = "review" ]; then
          n=$(next review-runs)
          verdict=$(pick review "$n" approve)
          mkdir -p .baton
          printf '{"verdict":"%s","summary":"Scripted review, round %s: %s."}\n' "$verdict" "$n" "$verdict" > .baton/review.json
        elif [ -f "$plan/question" ] && [ ! -f "$plan/asked" ]; then
          touch "$plan/asked"
          mkdir -p .baton
          cp "$plan/question" .baton/question.md
        else
          n=$(next runs)
          while IFS= read -r path; do
            [ -n "$path" ] || continue
            mkdir -p "$(dirname "$path")"
            printf 'Issue #%s, attempt %s, written by the demo agent.\n' "$BATON_ISSUE_NUMBER" "$n" > "$path"
          done < "$plan/changes"
        fi
        """;

    /// <summary>Writes each issue's plan: the paths to change, the reviewer's verdicts and the question to ask first.</summary>
    public static void WritePlans(string plansRoot, DemoScenario scenario)
    {
        foreach (var issue in scenario.Issues)
        {
            var folder = Path.Combine(plansRoot, $"issue-{issue.Number}");
            Directory.CreateDirectory(folder);
            File.WriteAllLines(Path.Combine(folder, "changes"), issue.AllChanges);
            File.WriteAllLines(Path.Combine(folder, "review"), issue.AllReview);
            if (issue.Question is { Length: > 0 } question) File.WriteAllText(Path.Combine(folder, "question"), question);
        }
    }

    /// <summary>Host settings that make the embedded runner play this agent, as implementer and (with another
    /// "model", so the reviewer is never the implementer) as reviewer.</summary>
    public static IEnumerable<string> HostArguments(string plansRoot, double agentSeconds) =>
    [
        "--Pipeline:Implementer=command", "--Pipeline:Reviewer=command", "--Pipeline:ReviewerModel=demo-reviewer",
        "--Runner:Agents:command:Executable=bash", "--Runner:Agents:command:Arguments:0=-c",
        $"--Runner:Agents:command:Arguments:1={Script}",
        $"--Runner:Agents:command:Environment:{PlansVariable}={plansRoot}",
        $"--Runner:Agents:command:Environment:{SecondsVariable}={agentSeconds.ToString("0.###", CultureInfo.InvariantCulture)}",
    ];
}

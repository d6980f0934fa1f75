using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>What an adapter read from its CLI's own report (all optional: not every CLI reports everything).</summary>
public sealed record AgentSignals
{
    public static readonly AgentSignals None = new();

    public int? Iterations { get; init; }
    public long? Tokens { get; init; }
    public decimal? CostUsd { get; init; }

    /// <summary>The CLI reported an error even if it exited 0.</summary>
    public bool IsError { get; init; }

    /// <summary>The CLI stopped at its own turn/iteration cap.</summary>
    public bool MaxIterationsHit { get; init; }

    /// <summary>The CLI stopped at a spend cap it enforced itself.</summary>
    public bool BudgetExhausted { get; init; }

    /// <summary>The agent's own closing words, for the PR body.</summary>
    public string? Summary { get; init; }
}

/// <summary>Text that, in the output of a failed run, marks a failure class. Matched case-insensitively.</summary>
public sealed record FailurePatterns(IReadOnlyList<string> ResourceExhausted, IReadOnlyList<string> RateLimited,
    IReadOnlyList<string> AuthFailed)
{
    /// <summary>What LLM APIs and their CLIs print for these failures in general. Usage limits are tested first: an
    /// exhausted quota often comes as an HTTP 429 too, and retrying it soon is pointless.</summary>
    public static readonly FailurePatterns Common = new(
        ResourceExhausted: [@"usage limit", @"\bquota\b", @"insufficient[ _]quota", @"credit balance", @"billing",
            @"budget (exceeded|exhausted)"],
        RateLimited: [@"\b429\b", @"\b529\b", @"rate[ _-]?limit", @"too many requests", @"overloaded"],
        AuthFailed: [@"\b401\b", @"invalid[ _-]?api[ _-]?key", @"authenticat", @"unauthori[sz]ed", @"\bapi key\b.*(missing|not set|invalid)"]);

    public FailurePatterns With(IReadOnlyList<string>? resourceExhausted = null, IReadOnlyList<string>? rateLimited = null,
        IReadOnlyList<string>? authFailed = null) =>
        new([.. ResourceExhausted, .. resourceExhausted ?? []], [.. RateLimited, .. rateLimited ?? []],
            [.. AuthFailed, .. authFailed ?? []]);
}

/// <summary>Turns one finished agent run into the outcome reported to the host (ARCHITECTURE.md §2.6), the same way
/// for every adapter.</summary>
/// <remarks>Order matters: a question wins (the agent stopped on purpose); then the runner's own wall-time kill; then
/// what the failed CLI printed; then budgets and iteration caps (finished runs that must not be retried as if
/// transient: a max-turns stop retried three times costs three times as much for the same result); then success.
/// Output text is only searched when the run failed, so a fix that mentions "429" in its own code is not a rate limit.</remarks>
public static class OutcomeClassifier
{
    private const int MaxSummaryChars = 4000;
    private const int SearchedTailChars = 20_000;

    public static AgentOutcome Classify(AgentRun run, AgentSignals signals, FailurePatterns patterns)
    {
        var (job, process, changes) = (run.Job, run.Process, run.Changes);
        var usage = new AgentUsage(signals.Iterations ?? 0, Math.Round(process.Elapsed.TotalSeconds, 1), signals.Tokens,
            signals.CostUsd);
        var commits = changes.Commits.Count > 0 ? changes.Commits : null;
        AgentOutcome Failed(string failureClass, string summary) =>
            new(AgentOutcomeKind.Failed, changes.HeadSha, commits, Cap(summary), FailureClass: failureClass, Usage: usage);

        if (run.Question is { } question)
            return new AgentOutcome(AgentOutcomeKind.Blocked, changes.HeadSha, commits, Cap(signals.Summary),
                Question: question, Usage: usage);
        if (process.TimedOut)
            return Failed(FailureClasses.Timeout, $"The agent ran past its wall time of {job.Budget.WallTimeSeconds} s and was stopped.");

        var failed = process.ExitCode != 0 || signals.IsError;
        if (failed)
        {
            var output = Tail(process.StandardOutput) + "\n" + Tail(process.StandardError);
            if (Matches(output, patterns.ResourceExhausted))
                return Failed(FailureClasses.ResourceExhausted, "The agent's LLM account is out of quota or credit: " + LastLine(output));
            if (Matches(output, patterns.RateLimited))
                return Failed(FailureClasses.RateLimited, "The agent's LLM was rate limited: " + LastLine(output));
            if (Matches(output, patterns.AuthFailed))
                return Failed(FailureClasses.AuthFailed, "The agent could not authenticate to its LLM: " + LastLine(output));
        }
        if (signals.BudgetExhausted || signals.Tokens > job.Budget.MaxTokens || signals.CostUsd > job.Budget.MaxCostUsd)
            return Failed(FailureClasses.ResourceExhausted,
                $"The attempt went over its budget (tokens {signals.Tokens?.ToString() ?? "?"} of {job.Budget.MaxTokens?.ToString() ?? "unlimited"}, " +
                $"cost ${signals.CostUsd?.ToString() ?? "?"} of {job.Budget.MaxCostUsd?.ToString() ?? "unlimited"}).");
        if (signals.MaxIterationsHit)
            return Failed(FailureClasses.Permanent,
                $"The agent hit its iteration cap ({job.Budget.MaxIterations}) before finishing; " +
                (commits is null ? "it made no commits." : "its partial work is on the branch."));
        if (failed)
            return Failed(FailureClasses.Transient, $"The agent exited with code {process.ExitCode}: {LastLine(process.StandardError + "\n" + process.StandardOutput)}");

        if (job.Role == PromptBuilder.ReviewRole)
            return ReadReview(run.Review, usage) ??
                Failed(FailureClasses.Permanent, "The reviewer did not write a valid .baton/review.json.");
        return commits is null
            ? Failed(FailureClasses.Permanent, "The agent made no changes.")
            : new AgentOutcome(AgentOutcomeKind.Succeeded, changes.HeadSha, commits, Cap(signals.Summary), Usage: usage);
    }

    private static AgentOutcome? ReadReview(string? review, AgentUsage usage)
    {
        if (review is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(review);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("verdict", out var verdict) || verdict.GetString() is not ("approve" or "changes_requested"))
                return null;
            var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return new AgentOutcome(AgentOutcomeKind.Succeeded, Summary: Cap(summary), Verdict: verdict.GetString(),
                Usage: usage);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Matches(string text, IReadOnlyList<string> patterns) =>
        patterns.Any(p => Regex.IsMatch(text, p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static string Tail(string text) => text.Length <= SearchedTailChars ? text : text[^SearchedTailChars..];

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() is { } line
            ? (line.Length > 300 ? line[..300] : line)
            : "(no output)";

    private static string? Cap(string? text) => text is { Length: > MaxSummaryChars } ? text[..MaxSummaryChars] : text;
}

using System.Globalization;
using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>Anthropic's Claude Code CLI in print mode.</summary>
/// <remarks>
/// Targets Claude Code 1.x/2.x: <c>claude -p --output-format json --max-turns N
/// --permission-mode bypassPermissions [--model M] [--max-budget-usd X]</c>, prompt on stdin (an issue body can be
/// longer than one argument may be). The single JSON result object carries <c>subtype</c> (<c>success</c>,
/// <c>error_max_turns</c>, <c>error_max_budget_usd</c>, <c>error_during_execution</c>), <c>is_error</c>,
/// <c>num_turns</c>, <c>total_cost_usd</c>, <c>usage</c> and <c>result</c> (the closing message). Permissions are
/// bypassed because nobody is there to approve them: the disposable workspace is the sandbox. Claude Code refuses that
/// mode as root; run the runner as an ordinary user.
/// </remarks>
public sealed class ClaudeCodeAdapter(AgentCliOptions options) : IAgentAdapter
{
    public const string AdapterName = "claude-code";

    private static readonly FailurePatterns Patterns = FailurePatterns.Common.With(
        rateLimited: ["overloaded_error"],
        authFailed: ["OAuth token has expired", "Please run /login"]);

    public string Name => AdapterName;

    public AgentInvocation BuildInvocation(AgentContext context)
    {
        var job = context.Job;
        List<string> arguments = ["-p", "--output-format", "json",
            "--max-turns", job.Budget.MaxIterations.ToString(CultureInfo.InvariantCulture),
            "--permission-mode", "bypassPermissions"];
        if (job.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        if (job.Budget.MaxCostUsd is { } maxCost)
            arguments.AddRange(["--max-budget-usd", maxCost.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(options.Arguments);
        return new AgentInvocation(options.Executable is { Length: > 0 } e ? e : "claude", arguments)
        {
            StandardInput = context.Prompt,
        };
    }

    public AgentOutcome Interpret(AgentRun run) =>
        OutcomeClassifier.Classify(run, ReadResult(run.Process.StandardOutput), Patterns);

    internal static AgentSignals ReadResult(string stdout)
    {
        var result = JsonLines.Objects(stdout).LastOrDefault(o => o.String("type") == "result" || o.String("subtype") is not null);
        if (result.ValueKind == System.Text.Json.JsonValueKind.Undefined)
            return AgentSignals.None;
        var subtype = result.String("subtype");
        var usage = result.Object("usage");
        return new AgentSignals
        {
            Iterations = (int?)result.Int64("num_turns"),
            CostUsd = result.Decimal("total_cost_usd"),
            Tokens = usage is { } u ? (u.Int64("input_tokens") ?? 0) + (u.Int64("output_tokens") ?? 0) : null,
            IsError = result.TryGetProperty("is_error", out var isError) && isError.ValueKind == System.Text.Json.JsonValueKind.True,
            MaxIterationsHit = subtype == "error_max_turns",
            BudgetExhausted = subtype == "error_max_budget_usd",
            Summary = result.String("result"),
        };
    }
}

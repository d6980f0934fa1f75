using System.Globalization;
using System.Text.RegularExpressions;
using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>Aider in scripting mode.</summary>
/// <remarks>Targets aider 0.8x: <c>aider --yes-always --no-pretty --no-stream --no-check-update --message-file F
/// [--model M]</c>. <c>--message-file</c> is the file form of <c>--message</c> (same one-shot behaviour, no
/// argument-length limit). Aider commits its own edits. Its report lines
/// "Tokens: 2.1k sent, 310 received. Cost: $0.01 message, $0.04 session." give tokens (summed), cost (the last
/// session figure) and iterations (one per line).</remarks>
public sealed partial class AiderAdapter(AgentCliOptions options) : IAgentAdapter
{
    public const string AdapterName = "aider";

    private static readonly FailurePatterns Patterns = FailurePatterns.Common.With(
        rateLimited: ["RateLimitError"], authFailed: ["AuthenticationError"]);

    public string Name => AdapterName;

    public AgentInvocation BuildInvocation(AgentContext context)
    {
        List<string> arguments = ["--yes-always", "--no-pretty", "--no-stream", "--no-check-update",
            "--message-file", context.PromptFile];
        if (context.Job.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        arguments.AddRange(options.Arguments);
        return new AgentInvocation(options.Executable is { Length: > 0 } e ? e : "aider", arguments);
    }

    public AgentOutcome Interpret(AgentRun run)
    {
        var reports = TokenReport().Matches(run.Process.StandardOutput);
        var signals = reports.Count == 0 ? AgentSignals.None : new AgentSignals
        {
            Iterations = reports.Count,
            Tokens = reports.Sum(m => Amount(m.Groups["sent"].Value) + Amount(m.Groups["received"].Value)),
            CostUsd = reports[^1].Groups["session"].Success
                ? decimal.Parse(reports[^1].Groups["session"].Value, CultureInfo.InvariantCulture)
                : null,
        };
        return OutcomeClassifier.Classify(run, signals, Patterns);
    }

    /// <summary>"2.1k" → 2100.</summary>
    private static long Amount(string text) =>
        text.EndsWith('k')
            ? (long)(decimal.Parse(text[..^1], CultureInfo.InvariantCulture) * 1000)
            : long.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Tokens: (?<sent>[\d.]+k?) sent, (?<received>[\d.]+k?) received\.(?: Cost: \$[\d.]+ message, \$(?<session>[\d.]+) session\.)?")]
    private static partial Regex TokenReport();
}

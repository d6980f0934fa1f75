using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>OpenAI's Codex CLI in exec mode.</summary>
/// <remarks>Targets codex-cli 0.4x+: <c>codex exec --json --sandbox workspace-write --color never [--model M] -</c>
/// with the prompt on stdin (<c>-</c>). The JSONL stream's <c>turn.completed</c> events carry
/// <c>usage.input_tokens</c>/<c>output_tokens</c> (one iteration each), <c>item.completed</c> with an
/// <c>agent_message</c> item is the summary, and <c>turn.failed</c>/<c>error</c> mark an error. Codex has no turn
/// cap flag; the wall time bounds it.</remarks>
public sealed class CodexAdapter(AgentCliOptions options) : IAgentAdapter
{
    public const string AdapterName = "codex";

    private static readonly FailurePatterns Patterns = FailurePatterns.Common.With(
        resourceExhausted: ["usage_limit_reached", "You've hit your usage limit"]);

    public string Name => AdapterName;

    public AgentInvocation BuildInvocation(AgentContext context)
    {
        List<string> arguments = ["exec", "--json", "--sandbox", "workspace-write", "--color", "never"];
        if (context.Job.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        arguments.AddRange(options.Arguments);
        arguments.Add("-");
        return new AgentInvocation(options.Executable is { Length: > 0 } e ? e : "codex", arguments)
        {
            StandardInput = context.Prompt,
        };
    }

    public AgentOutcome Interpret(AgentRun run)
    {
        int turns = 0;
        long? tokens = null;
        string? summary = null;
        var isError = false;
        foreach (var e in JsonLines.Objects(run.Process.StandardOutput))
        {
            switch (e.String("type"))
            {
                case "turn.completed":
                    turns++;
                    var usage = e.Object("usage");
                    tokens = (tokens ?? 0) + (usage?.Int64("input_tokens") ?? 0) + (usage?.Int64("output_tokens") ?? 0);
                    break;
                case "item.completed" when e.Object("item") is { } item && item.String("type") == "agent_message":
                    summary = item.String("text") ?? summary;
                    break;
                case "turn.failed" or "error":
                    isError = true;
                    break;
            }
        }
        var signals = new AgentSignals { Iterations = turns, Tokens = tokens, IsError = isError, Summary = summary };
        return OutcomeClassifier.Classify(run, signals, Patterns);
    }
}

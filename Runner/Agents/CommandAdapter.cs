using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>Any command line from configuration: the escape hatch for agents without an adapter, and the demo's
/// scripted agent.</summary>
/// <remarks>The command gets the prompt on stdin and as a file (<c>BATON_PROMPT_FILE</c>), plus the other
/// <c>BATON_*</c> variables (branch, issue number, workspace, ...). It reports through its exit code, its commits,
/// <c>.baton/question.md</c> and <c>.baton/review.json</c>; its output is searched for the common rate-limit,
/// auth and quota messages when it fails.</remarks>
public sealed class CommandAdapter(AgentCliOptions options) : IAgentAdapter
{
    public const string AdapterName = "command";

    public string Name => AdapterName;

    public AgentInvocation BuildInvocation(AgentContext context)
    {
        if (options.Executable is not { Length: > 0 } executable)
            throw new InvalidOperationException($"The '{AdapterName}' agent needs Runner:Agents:{AdapterName}:Executable.");
        return new AgentInvocation(executable, options.Arguments) { StandardInput = context.Prompt };
    }

    public AgentOutcome Interpret(AgentRun run) => OutcomeClassifier.Classify(run, AgentSignals.None, FailurePatterns.Common);
}

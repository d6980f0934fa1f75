using Baton.Runner.Protocol;

namespace Baton.Runner.Agents;

/// <summary>OpenCode (sst/opencode) in non-interactive mode.</summary>
/// <remarks>Targets opencode 0.x/1.x: <c>opencode run --format json [--model provider/model] &lt;prompt&gt;</c>. The prompt
/// is one argument (Linux caps one argument at 128 KiB, ample for an issue). The JSON event stream's
/// <c>step_finish</c> events carry <c>part.tokens.total</c> and <c>part.cost</c>; each counts as one iteration;
/// the last <c>text</c> part is the summary. OpenCode has no turn cap of its own: the wall time bounds it.</remarks>
public sealed class OpenCodeAdapter(AgentCliOptions options) : IAgentAdapter
{
    public const string AdapterName = "opencode";

    public string Name => AdapterName;

    public AgentInvocation BuildInvocation(AgentContext context)
    {
        List<string> arguments = ["run", "--format", "json"];
        if (context.Job.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        arguments.AddRange(options.Arguments);
        arguments.Add(context.Prompt);
        return new AgentInvocation(options.Executable is { Length: > 0 } e ? e : "opencode", arguments);
    }

    public AgentOutcome Interpret(AgentRun run)
    {
        int steps = 0;
        long? tokens = null;
        decimal? cost = null;
        string? summary = null;
        var isError = false;
        foreach (var e in JsonLines.Objects(run.Process.StandardOutput))
        {
            var part = e.Object("part");
            switch (e.String("type"))
            {
                case "step_finish":
                    steps++;
                    tokens = (tokens ?? 0) + (part?.Object("tokens")?.Int64("total") ?? 0);
                    cost = (cost ?? 0) + (part?.Decimal("cost") ?? 0);
                    break;
                case "text":
                    summary = part?.String("text") ?? summary;
                    break;
                case "error":
                    isError = true;
                    break;
            }
        }
        var signals = new AgentSignals { Iterations = steps, Tokens = tokens, CostUsd = cost, IsError = isError, Summary = summary };
        return OutcomeClassifier.Classify(run, signals, FailurePatterns.Common);
    }
}

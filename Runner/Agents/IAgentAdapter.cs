using Baton.Runner.Processes;
using Baton.Runner.Protocol;
using Baton.Runner.Workspaces;

namespace Baton.Runner.Agents;

/// <summary>One agent CLI: how to start it for a job, and what its exit, output and files mean.</summary>
/// <remarks>Adapters only build argument lists and read results; the runner owns the process (time-out, kill,
/// environment), the workspace and the push, so an adapter cannot get those wrong. To add one: implement this, give it
/// a name, add it to <see cref="AgentAdapters"/>, and test it with a fake CLI script.</remarks>
public interface IAgentAdapter
{
    /// <summary>The name jobs ask for (<see cref="AgentJob.Agent"/>) and the runner registers with.</summary>
    string Name { get; }

    AgentInvocation BuildInvocation(AgentContext context);

    AgentOutcome Interpret(AgentRun run);
}

/// <summary>What an adapter gets to build its command line.</summary>
/// <param name="Prompt">The full prompt (<see cref="PromptBuilder"/>).</param>
/// <param name="PromptFile">The same prompt in a file outside the clone, for CLIs that read one.</param>
/// <param name="WorkspaceDirectory">The clone; the process's working directory.</param>
public sealed record AgentContext(AgentJob Job, string Prompt, string PromptFile, string WorkspaceDirectory);

/// <summary>The process to start, in the clone. The runner adds the <c>BATON_*</c> variables and the adapter's
/// configured environment, and strips its own configuration from the inherited one.</summary>
public sealed record AgentInvocation(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Written to the CLI's stdin (then closed); null gives it an empty stdin.</summary>
    public string? StandardInput { get; init; }
}

/// <summary>Everything known once the agent process has ended and its work was committed and pushed.</summary>
/// <param name="Question">The content of <see cref="JobWorkspace.QuestionFile"/>, if the agent wrote it.</param>
/// <param name="Review">The raw content of <see cref="JobWorkspace.ReviewFile"/>, if the agent wrote it.</param>
public sealed record AgentRun(AgentJob Job, ProcessResult Process, BranchChanges Changes, string? Question,
    string? Review);

using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;

namespace Baton.Activities.Agents;

/// <summary>
/// What an orchestration asks of an agent: queued as an <see cref="Baton.Orchestrations.AgentJobOrchestration"/> that
/// runners take through the runner protocol. It holds no credential: a
/// short-lived one is minted when a runner takes the job, so none is ever written to history.
/// </summary>
/// <param name="Issue">The issue being worked on.</param>
/// <param name="Title">The issue's title (untrusted: the runner wraps it).</param>
/// <param name="Body">The issue's body (untrusted).</param>
/// <param name="Role">"implement" or "review".</param>
/// <param name="Agent">The adapter a runner must offer to take the job, e.g. "claude-code".</param>
/// <param name="Model">The model to ask for, if configured.</param>
/// <param name="BaseBranch">The branch the work starts from.</param>
/// <param name="Branch"><c>baton/&lt;number&gt;-&lt;slug&gt;</c>.</param>
/// <param name="Feedback">Failing checks, review comments or a person's answer from earlier rounds (untrusted).</param>
/// <param name="Budget">Caps for this attempt.</param>
public sealed record AgentJobRequest(
    IssueRef Issue,
    string Title,
    string Body,
    string Role,
    string Agent,
    string? Model,
    string BaseBranch,
    string Branch,
    IReadOnlyList<string> Feedback,
    AgentBudget Budget);

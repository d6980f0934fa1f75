using Baton.Runner.Protocol;

namespace Baton.Runner.Tests.Infrastructure;

/// <summary>Agent jobs with sensible defaults.</summary>
internal static class Jobs
{
    public const string Branch = "baton/42-add-greeting";

    public static AgentJob Implement(string cloneUrl, string agent = "claude-code", string? credential = null,
        int maxIterations = 10, int wallTimeSeconds = 60, IssueText? issue = null, IReadOnlyList<string>? feedback = null) =>
        new(JobId: "job-" + Guid.NewGuid().ToString("N")[..8], LeaseToken: "lease-1", Offer: 1, Role: "implement",
            Agent: agent, Model: null, Repository: "acme/demo", CloneUrl: cloneUrl, Credential: credential,
            BaseBranch: "main", Branch: Branch,
            Issue: issue ?? new IssueText(42, "Add a greeting", "Create hello.txt saying hello."),
            Feedback: feedback ?? [], Budget: new AgentBudget(maxIterations, wallTimeSeconds));
}

using System.Security.Claims;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Pipeline;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Dashboard;

/// <summary>
/// Who may see the dashboard and who may decide there. A person signs in as a GitHub login (OAuth) or as the identity a
/// trusted proxy forwards; members (<c>Dashboard__Members__N</c>) may look, and only approvers
/// (<c>Pipeline__Approvers__N</c>, the gates' list) get decision forms and may post them. When an escalation names its
/// own approvers, a person must be on that list too: the dashboard never widens what the pipeline allowed.
/// </summary>
public sealed class DashboardAccess(IOptionsMonitor<DashboardOptions> dashboard, IOptionsMonitor<GateOptions> gates)
{
    /// <summary>The claim holding the login, on both sign-in paths.</summary>
    public const string LoginClaim = "urn:github:login";

    /// <summary>The authorization policy every dashboard page requires.</summary>
    public const string MemberPolicy = "DashboardMember";

    public static string? LoginOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(LoginClaim) : null;

    public bool IsMember(string? login) =>
        login is not null && dashboard.CurrentValue.ConfiguredMembers.Contains(login, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="login"/> is a configured approver (and so sees decision forms at all).</summary>
    public bool IsApprover(string? login) =>
        IsMember(login) && gates.CurrentValue.Approvers.Contains(login!, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="login"/> may answer this escalation.</summary>
    public bool MayDecide(string? login, EscalationRequest request) =>
        IsApprover(login) && (request.Approvers.Count == 0 || request.Approvers.Contains(login!, StringComparer.OrdinalIgnoreCase));
}

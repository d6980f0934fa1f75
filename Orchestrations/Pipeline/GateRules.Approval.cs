namespace Baton.Orchestrations.Pipeline;

public static partial class GateRules
{
    const string Approved = "APPROVED", ChangesRequested = "CHANGES_REQUESTED", Dismissed = "DISMISSED";

    /// <summary>
    /// Whether the reviews satisfy a human gate on <paramref name="headSha"/>. Each person's standing is their latest
    /// APPROVED, CHANGES_REQUESTED or DISMISSED review (by submission time, then id); COMMENTED and PENDING reviews
    /// change nothing, as on GitHub. The gate is satisfied when an allowed person's standing is an approval submitted on
    /// <paramref name="headSha"/> itself, and no allowed person's standing is a change request.
    /// </summary>
    /// <remarks>
    /// Never counted: the bot account <paramref name="botLogin"/> (which the reviewer agent may share) and any
    /// <c>[bot]</c> login, even when listed as approvers: the reviewer agent's approval never satisfies a gate. An approval
    /// on an older commit is ignored, so a new push voids every approval. A change request from an allowed person blocks
    /// whatever commit it was on, until that person approves or the review is dismissed, as GitHub's branch protection
    /// does. Logins compare case-insensitively. With no approvers configured nobody can satisfy the gate, and the reason
    /// says so.
    /// </remarks>
    public static ApprovalVerdict IsSatisfied(
        IReadOnlyList<ReviewInfo> reviews, string headSha, IReadOnlySet<string> approvers, string botLogin)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentException.ThrowIfNullOrWhiteSpace(headSha);
        ArgumentNullException.ThrowIfNull(approvers);
        var allowed = new HashSet<string>(approvers.Select(a => a.TrimStart('@')), StringComparer.OrdinalIgnoreCase);
        var notes = new List<string>();
        var head = CommitSha.Short(headSha, "an unknown commit");

        var standings = reviews
            .Where(r => r.State is Approved or ChangesRequested or Dismissed && r.Login.Length > 0)
            .OrderBy(r => r.SubmittedAt ?? DateTimeOffset.MinValue).ThenBy(r => r.Id)
            .GroupBy(r => r.Login, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Last())
            .ToList();

        string? approvedBy = null;
        var blockers = new List<string>();
        foreach (var review in standings)
        {
            var who = "@" + review.Login;
            if (IsBot(review.Login, botLogin))
            {
                if (review.State == Approved) notes.Add($"{who} is Baton's own account: its approval never satisfies a gate");
                continue;
            }
            if (!allowed.Contains(review.Login))
            {
                if (review.State == Approved) notes.Add($"{who} approved but is not an allowed approver");
                continue;
            }
            switch (review.State)
            {
                case ChangesRequested:
                    blockers.Add(who);
                    break;
                case Approved when string.Equals(review.CommitId, headSha, StringComparison.OrdinalIgnoreCase):
                    approvedBy ??= review.Login;
                    break;
                case Approved:
                    notes.Add($"{who} approved {CommitSha.Short(review.CommitId, "an unknown commit")}, not the head {head}: a new push voids approvals");
                    break;
                case Dismissed:
                    notes.Add($"{who}'s review was dismissed");
                    break;
            }
        }

        if (allowed.Count == 0)
            return new(false, "No approvers are configured (Pipeline__Approvers or `approvers:` in .baton.yml), so nobody can approve this gate.", null, notes);
        if (blockers.Count > 0)
            return new(false, $"{string.Join(", ", blockers)} requested changes; the gate waits for their approval on {head}.", null, notes);
        if (approvedBy is not null)
            return new(true, $"Approved by @{approvedBy} on {head}.", approvedBy, notes);
        return new(false, $"Waiting for an approving review on {head} by one of {string.Join(", ", allowed.Order(StringComparer.OrdinalIgnoreCase).Select(a => "@" + a))}.", null, notes);
    }

    static bool IsBot(string login, string botLogin) =>
        string.Equals(login, botLogin, StringComparison.OrdinalIgnoreCase)
        || login.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase)
        || (botLogin.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase)
            && string.Equals(login, botLogin[..^"[bot]".Length], StringComparison.OrdinalIgnoreCase));
}

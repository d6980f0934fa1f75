using Baton.Orchestrations.Pipeline;

namespace Baton.Tests.Pipeline;

/// <summary><see cref="GateRules.IsSatisfied"/>: an allowed person's approval, pinned to the head commit, never the bot's.</summary>
public sealed class GateApprovalTests
{
    const string Head = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0";
    const string OldHead = "0f9e8d7c6b5a0f9e8d7c6b5a0f9e8d7c6b5a0f9e";
    const string Bot = "baton-bot";
    static readonly IReadOnlySet<string> Approvers = new HashSet<string>(["alice", "Bob"], StringComparer.OrdinalIgnoreCase);
    static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    static ReviewInfo Review(int minute, string login, string state, string? sha = Head) => new(minute, login, state, sha, T0.AddMinutes(minute));

    public static TheoryData<string, ReviewInfo[], bool, string> Cases => new()
    {
        { "no reviews", [], false, "Waiting for an approving review on a1b2c3d by one of @alice, @Bob." },
        { "allowed person approves the head", [Review(1, "alice", "APPROVED")], true, "Approved by @alice on a1b2c3d." },
        { "logins compare case-insensitively", [Review(1, "BOB", "APPROVED")], true, "Approved by @BOB on a1b2c3d." },
        { "approval on an older commit is void", [Review(1, "alice", "APPROVED", OldHead)], false, "Waiting for an approving review" },
        { "re-approval on the new head counts", [Review(1, "alice", "APPROVED", OldHead), Review(5, "alice", "APPROVED")], true, "Approved by @alice" },
        { "a later change request revokes", [Review(1, "alice", "APPROVED"), Review(2, "alice", "CHANGES_REQUESTED")], false, "@alice requested changes" },
        { "a later comment does not revoke", [Review(1, "alice", "APPROVED"), Review(2, "alice", "COMMENTED")], true, "Approved by @alice" },
        { "a dismissed approval does not count", [Review(1, "alice", "DISMISSED")], false, "Waiting for an approving review" },
        { "a pending review does not count", [Review(1, "alice", "PENDING")], false, "Waiting for an approving review" },
        { "the bot never satisfies a gate", [Review(1, Bot, "APPROVED")], false, "Waiting for an approving review" },
        { "nor any [bot] account", [Review(1, "reviewer-agent[bot]", "APPROVED")], false, "Waiting for an approving review" },
        { "a stranger's approval does not count", [Review(1, "mallory", "APPROVED")], false, "Waiting for an approving review" },
        { "another approver's change request blocks", [Review(1, "alice", "APPROVED"), Review(2, "bob", "CHANGES_REQUESTED", OldHead)], false, "@bob requested changes" },
        { "a stranger's change request does not block", [Review(1, "alice", "APPROVED"), Review(2, "mallory", "CHANGES_REQUESTED")], true, "Approved by @alice" },
        { "order comes from submission time, not list order", [Review(5, "alice", "APPROVED"), Review(2, "alice", "CHANGES_REQUESTED")], true, "Approved by @alice" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsSatisfied_Table(string name, ReviewInfo[] reviews, bool satisfied, string reason)
    {
        var verdict = GateRules.IsSatisfied(reviews, Head, Approvers, Bot);

        Assert.True(satisfied == verdict.Satisfied, name);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IsSatisfied_BotListedAsApprover_StillNeverCounts()
    {
        var approvers = new HashSet<string>([Bot, "alice"], StringComparer.OrdinalIgnoreCase);

        var verdict = GateRules.IsSatisfied([Review(1, Bot, "APPROVED")], Head, approvers, Bot);

        Assert.False(verdict.Satisfied);
        Assert.Contains("@baton-bot is Baton's own account: its approval never satisfies a gate", verdict.Notes);
    }

    [Fact]
    public void IsSatisfied_ApprovalOnAnOlderCommit_SaysWhyInTheNotes()
    {
        var verdict = GateRules.IsSatisfied([Review(1, "alice", "APPROVED", OldHead), Review(2, "mallory", "APPROVED")], Head, Approvers, Bot);

        Assert.Equal(["@alice approved 0f9e8d7, not the head a1b2c3d: a new push voids approvals", "@mallory approved but is not an allowed approver"],
            verdict.Notes);
    }

    [Fact]
    public void IsSatisfied_NoApproversConfigured_SaysNobodyCanApprove()
    {
        var verdict = GateRules.IsSatisfied([Review(1, "alice", "APPROVED")], Head, new HashSet<string>(), Bot);

        Assert.False(verdict.Satisfied);
        Assert.StartsWith("No approvers are configured", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IsSatisfied_BotAppLoginWithoutSuffix_IsTheBotToo() =>
        Assert.False(GateRules.IsSatisfied([Review(1, "baton", "APPROVED")], Head,
            new HashSet<string>(["baton"], StringComparer.OrdinalIgnoreCase), "baton[bot]").Satisfied);
}

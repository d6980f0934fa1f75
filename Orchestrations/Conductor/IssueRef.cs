namespace Baton.Orchestrations.Conductor;

/// <summary>
/// One GitHub issue, named the way GitHub names it: <c>owner/repo#number</c>.
/// </summary>
/// <remarks>
/// GitHub treats owner and repository names case-insensitively (<c>Acme/Api</c> and <c>acme/api</c> are the
/// same repository), so equality, hashing and ordering ignore case there. A configured repository name and a
/// blocker reported by the API may differ in case and must still match.
/// </remarks>
public sealed record IssueRef(string Owner, string Repo, int Number) : IComparable<IssueRef>
{
    /// <summary>The repository as <c>owner/repo</c>, the key used for per-repository capacity.</summary>
    public string Repository => $"{Owner}/{Repo}";

    public bool Equals(IssueRef? other) =>
        other is not null
        && Number == other.Number
        && string.Equals(Owner, other.Owner, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Repo, other.Repo, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Owner),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Repo),
        Number);

    /// <summary>Orders by owner, then repository, then number: the planner's final, deterministic tie-break.</summary>
    public int CompareTo(IssueRef? other)
    {
        if (other is null) return 1;
        var byOwner = string.Compare(Owner, other.Owner, StringComparison.OrdinalIgnoreCase);
        if (byOwner != 0) return byOwner;
        var byRepo = string.Compare(Repo, other.Repo, StringComparison.OrdinalIgnoreCase);
        return byRepo != 0 ? byRepo : Number.CompareTo(other.Number);
    }

    public override string ToString() => $"{Owner}/{Repo}#{Number}";
}

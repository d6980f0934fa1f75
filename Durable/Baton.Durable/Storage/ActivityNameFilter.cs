namespace Baton.Durable.Storage;

/// <summary>
/// Which activity names a claimer takes from the queue (<see cref="IDurableStore.ClaimActivitiesAsync"/>). Several kinds
/// of claimer share one activity table: this process's worker runs the activities it has code for and leaves the
/// remote ones (<see cref="Hosting.DurableOptions.RemoteActivities"/>) to an external claimer, which asks for exactly those.
/// The store applies the filter in the claim's SQL, so a row is never leased (and its dequeue count never bumped) by a
/// claimer that would not run it.
/// </summary>
/// <remarks>
/// Names are compared exactly (ordinal, case-sensitive) by the database, while registry lookups ignore case: call an
/// activity with the spelling it was registered with (use <c>nameof</c>).
/// <para>
/// Poison handling belongs to whoever claims: the local worker fails an activity once its dequeue count passes
/// <c>MaxDequeueCount</c>, but it never claims rows excluded by its filter, so a remote claimer owns that decision for
/// the rows it takes (each claim, including one after a lapsed lease, increments the row's dequeue count).
/// </para>
/// </remarks>
public sealed record ActivityNameFilter
{
    ActivityNameFilter(bool exclude, IReadOnlyCollection<string> names)
    {
        Exclude = exclude;
        Names = names;
    }

    /// <summary>Every activity row.</summary>
    public static ActivityNameFilter All { get; } = new(exclude: true, []);

    /// <summary>Only rows with one of <paramref name="names"/>; none at all when the list is empty.</summary>
    public static ActivityNameFilter Only(IEnumerable<string> names) => new(exclude: false, Distinct(names));

    /// <summary>Every row except those with one of <paramref name="names"/>; the same as <see cref="All"/> when the list
    /// is empty.</summary>
    public static ActivityNameFilter Except(IEnumerable<string> names) => new(exclude: true, Distinct(names));

    /// <summary>True: <see cref="Names"/> are left out; false: only <see cref="Names"/> are taken.</summary>
    public bool Exclude { get; }

    public IReadOnlyCollection<string> Names { get; }

    /// <summary>True when no row can match (<c>Only([])</c>), so a claim need not ask the database.</summary>
    public bool MatchesNothing => !Exclude && Names.Count == 0;

    /// <summary>True when every row matches, so a claim needs no name condition.</summary>
    public bool MatchesEverything => Exclude && Names.Count == 0;

    // A record compares its members, but a list compares by reference: compare the names as a set instead.
    public bool Equals(ActivityNameFilter? other) =>
        other is not null && Exclude == other.Exclude && Names.Count == other.Names.Count && Names.All(other.Names.Contains);

    public override int GetHashCode() =>
        Names.Aggregate(HashCode.Combine(Exclude, Names.Count), (hash, name) => hash ^ StringComparer.Ordinal.GetHashCode(name));

    public override string ToString() =>
        MatchesEverything ? "All" : $"{(Exclude ? "Except" : "Only")}({string.Join(", ", Names)})";

    static string[] Distinct(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = names.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Any(string.IsNullOrEmpty)) throw new ArgumentException("Activity names must not be empty.", nameof(names));
        return list;
    }
}

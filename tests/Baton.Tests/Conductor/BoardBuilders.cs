using Baton.Orchestrations.Conductor;

namespace Baton.Tests.Conductor;

/// <summary>Small builders for planner tests: an issue is open, unlabelled and unblocked unless a test says otherwise.</summary>
internal static class BoardBuilders
{
    public const string DefaultRepository = "acme/app";

    /// <summary>The moment every test's approval times are counted from.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static IssueRef Ref(int number, string repository = DefaultRepository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return new IssueRef(repository[..slash], repository[(slash + 1)..], number);
    }

    public static IssueSnapshot Issue(int number, string repository = DefaultRepository) =>
        new(Ref(number, repository), IssueState.Open, new HashSet<string>(StringComparer.OrdinalIgnoreCase), null, null, []);

    /// <summary>Adds <c>approved</c>, approved the given number of minutes after <see cref="Epoch"/>.</summary>
    public static IssueSnapshot Approved(this IssueSnapshot issue, int minute = 0) =>
        issue.WithLabels(BoardLabels.Approved) with { ApprovedAt = Epoch.AddMinutes(minute) };

    public static IssueSnapshot WithLabels(this IssueSnapshot issue, params string[] labels) =>
        issue with { Labels = new HashSet<string>(issue.Labels.Concat(labels), StringComparer.OrdinalIgnoreCase) };

    public static IssueSnapshot BlockedBy(this IssueSnapshot issue, params IssueRef[] blockers) =>
        issue with { BlockedBy = [.. issue.BlockedBy, .. blockers] };

    public static IssueSnapshot BlockedBy(this IssueSnapshot issue, params int[] blockers) =>
        issue.BlockedBy(blockers.Select(n => Ref(n, issue.Issue.Repository)).ToArray());

    public static IssueSnapshot Closed(this IssueSnapshot issue) => issue with { State = IssueState.Closed };

    public static BoardSnapshot Board(int capacity, params IssueSnapshot[] issues) =>
        new(issues, Capacity.Of(capacity), []);

    public static BoardSnapshot Running(this BoardSnapshot board, params IssueRef[] running) =>
        board with { Running = running };

    public static BoardSnapshot RepositoryLimit(this BoardSnapshot board, string repository, int limit) =>
        board with
        {
            Capacity = board.Capacity with
            {
                PerRepository = new Dictionary<string, int>(board.Capacity.PerRepository) { [repository] = limit },
            },
        };

    public static int[] Numbers(this IEnumerable<IssueRef> issues) => issues.Select(i => i.Number).ToArray();

    public static WaitReason? WaitReasonOf(this Plan plan, int number) =>
        plan.Waiting.SingleOrDefault(w => w.Issue.Number == number)?.Reason;
}

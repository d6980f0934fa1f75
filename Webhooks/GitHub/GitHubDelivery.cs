namespace Baton.Webhooks.GitHub;

/// <summary>
/// One accepted delivery as Baton keeps it: who it concerns and where it routes, never the whole payload (it is
/// stored as the router's event and in its history, and the conductor re-reads GitHub anyway).
/// </summary>
public sealed record GitHubDelivery(
    string DeliveryId,
    string Event,
    string? Action,
    GitHubRouteKind Route,
    string? Repository,
    int? IssueNumber,
    long? InstallationId,
    string? Sender)
{
    /// <summary>What the pull-request pipeline needs from CI, review and comment deliveries; null for other events.</summary>
    public PipelineFacts? Pipeline { get; init; }

    public static GitHubDelivery From(string deliveryId, string gitHubEvent, GitHubWebhookPayload payload) => new(
        deliveryId,
        gitHubEvent,
        payload.Action,
        GitHubRoutes.Route(gitHubEvent, payload.Action),
        payload.Repository?.FullName,
        payload.IssueNumber,
        payload.Installation?.Id,
        payload.Sender?.Login)
    {
        Pipeline = PipelineFacts.From(payload),
    };
}

/// <param name="HeadBranch">The branch CI ran on or the pull request comes from (Baton's are <c>baton/&lt;issue&gt;-…</c>).</param>
/// <param name="HeadSha">The commit CI ran on, or the pull request's head.</param>
/// <param name="Conclusion">CI's conclusion.</param>
/// <param name="ReviewState">approved, changes_requested, commented, dismissed.</param>
/// <param name="CommitId">The commit a review was submitted on.</param>
/// <param name="Answer">The text after <c>/baton answer</c> in an issue comment.</param>
public sealed record PipelineFacts(
    string? HeadBranch = null,
    string? HeadSha = null,
    string? Conclusion = null,
    string? ReviewState = null,
    string? CommitId = null,
    string? Answer = null)
{
    public const string AnswerCommand = "/baton answer";
    const int MaxAnswerLength = 4000;

    public static PipelineFacts? From(GitHubWebhookPayload payload) => payload switch
    {
        CheckSuiteEvent e => new(e.CheckSuite.HeadBranch, e.CheckSuite.HeadSha, e.CheckSuite.Conclusion),
        WorkflowRunEvent e => new(e.WorkflowRun.HeadBranch, e.WorkflowRun.HeadSha, e.WorkflowRun.Conclusion),
        PullRequestEvent e => new(e.PullRequest.Head.Ref, e.PullRequest.Head.Sha),
        PullRequestReviewEvent e => new(e.PullRequest.Head.Ref, e.PullRequest.Head.Sha, ReviewState: e.Review.State, CommitId: e.Review.CommitId),
        IssueCommentEvent e when AnswerIn(e.Comment.Body) is { } answer => new(Answer: answer),
        _ => null,
    };

    static string? AnswerIn(string? body)
    {
        var text = body?.Trim();
        if (text is null || !text.StartsWith(AnswerCommand, StringComparison.OrdinalIgnoreCase)) return null;
        var answer = text[AnswerCommand.Length..].Trim();
        if (answer.Length == 0) return null;
        return answer.Length <= MaxAnswerLength ? answer : answer[..MaxAnswerLength];
    }

    /// <summary>The issue number in a Baton branch name (<c>baton/12-add-login</c> → 12).</summary>
    public static int? IssueOfBranch(string? branch)
    {
        if (branch is null || !branch.StartsWith("baton/", StringComparison.Ordinal)) return null;
        var rest = branch["baton/".Length..];
        var digits = rest.Split('-', 2)[0];
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : null;
    }
}

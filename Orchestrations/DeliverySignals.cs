using Baton.Orchestrations.Conductor;
using Baton.Webhooks.GitHub;

namespace Baton.Orchestrations;

/// <summary>An event to raise on an orchestration instance because of a GitHub delivery.</summary>
public sealed record DeliverySignal(string InstanceId, string EventName, object Payload)
{
    public bool WakesConductor => InstanceId == ConductorEvents.ConductorInstanceId && EventName == ConductorEvents.Wake;
}

/// <summary>Which orchestrations a GitHub delivery concerns (pure). Events for instances that do not exist are dropped
/// by the engine, so a wake for a conductor that is not configured costs nothing.</summary>
public static class DeliverySignals
{
    /// <param name="sentAt">The sender's deterministic time, carried by the conductor's wake (see <see cref="ConductorWake.SentAt"/>).</param>
    public static IReadOnlyList<DeliverySignal> For(GitHubDelivery delivery, DateTime? sentAt = null)
    {
        var signals = new List<DeliverySignal>(2);
        var where = (delivery.Repository, delivery.IssueNumber) switch
        {
            (null, _) => "",
            (var fullName, null) => $" {fullName}",
            (var fullName, var issueNumber) => $" {fullName}#{issueNumber}",
        };
        if (delivery.Route is GitHubRouteKind.IssueChanged or GitHubRouteKind.DependencyChanged or GitHubRouteKind.MilestoneChanged)
            signals.Add(new DeliverySignal(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake,
                new ConductorWake($"{delivery.Event}.{delivery.Action}{where}") { SentAt = sentAt }));

        if (delivery is { Route: GitHubRouteKind.IssueChanged, Action: GitHubAction.Closed, Repository: { } repository, IssueNumber: { } number }
            && repository.Split('/') is [var owner, var repo])
            signals.Add(new DeliverySignal(ConductorEvents.IssueInstanceId(new IssueRef(owner, repo, number)), ConductorEvents.IssueClosed,
                delivery.Sender ?? "someone"));
        if (PipelineSignal(delivery) is { } pipeline) signals.Add(pipeline);
        return signals;
    }

    /// <summary>CI results and reviews go to the issue whose Baton branch they concern; <c>/baton answer</c> comments
    /// to the issue they were posted on.</summary>
    static DeliverySignal? PipelineSignal(GitHubDelivery delivery)
    {
        if (delivery is not { Pipeline: { } facts, Repository: { } repository } || repository.Split('/') is not [var owner, var repo])
            return null;
        return delivery.Route switch
        {
            GitHubRouteKind.CiCompleted when PipelineFacts.IssueOfBranch(facts.HeadBranch) is { } number =>
                new DeliverySignal(IssueOf(owner, repo, number), PipelineEvents.CiCompleted, new CiSignal(facts.HeadSha, facts.Conclusion)),
            GitHubRouteKind.ReviewSubmitted when PipelineFacts.IssueOfBranch(facts.HeadBranch) is { } number =>
                new DeliverySignal(IssueOf(owner, repo, number), PipelineEvents.ReviewSubmitted,
                    new ReviewSignal(delivery.Sender, facts.ReviewState, facts.CommitId)),
            GitHubRouteKind.CommentAdded when facts.Answer is { } answer && delivery.IssueNumber is { } number && delivery.Sender is { } by =>
                new DeliverySignal(IssueOf(owner, repo, number), PipelineEvents.AnswerPosted, new AnswerSignal(by, answer)),
            _ => null,
        };
    }

    static string IssueOf(string owner, string repo, int number) => ConductorEvents.IssueInstanceId(new IssueRef(owner, repo, number));
}

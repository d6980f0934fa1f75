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
    public static GitHubDelivery From(string deliveryId, string gitHubEvent, GitHubWebhookPayload payload) => new(
        deliveryId,
        gitHubEvent,
        payload.Action,
        GitHubRoutes.Route(gitHubEvent, payload.Action),
        payload.Repository?.FullName,
        payload.IssueNumber,
        payload.Installation?.Id,
        payload.Sender?.Login);
}

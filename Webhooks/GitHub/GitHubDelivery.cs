namespace Baton.Webhooks.GitHub;

/// <summary>
/// One accepted delivery as Baton keeps it: who it concerns and where it routes, never the whole payload (the
/// orchestration's input is stored in its history, and the conductor re-reads GitHub anyway).
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
    /// <summary>The deterministic instance id that makes a redelivery a no-op.</summary>
    public string InstanceId => InstanceIdFor(DeliveryId);

    public static string InstanceIdFor(string deliveryId) => $"github-delivery:{deliveryId}";

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

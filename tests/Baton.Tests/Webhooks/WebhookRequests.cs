using System.Net.Http.Headers;
using Baton.Functions;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>Deliveries to Baton's GitHub intake as GitHub sends them.</summary>
public static class WebhookRequests
{
    /// <summary>A JSON delivery; signed with <paramref name="signature"/> unless it is null.</summary>
    public static HttpRequestMessage Delivery(string gitHubEvent, string deliveryId, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GitHubWebhookFunction.Route)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(GitHubWebhookRequest.EventHeader, gitHubEvent);
        request.Headers.Add(GitHubWebhookRequest.DeliveryHeader, deliveryId);
        if (signature is not null) request.Headers.Add(GitHubSignature.HeaderName, signature);
        return request;
    }

    /// <summary>An <c>issues.labeled</c> delivery signed with <paramref name="secret"/>.</summary>
    public static HttpRequestMessage SignedIssueLabeled(string deliveryId, string secret) =>
        Delivery(GitHubEvent.Issues, deliveryId, WebhookPayloads.IssueLabeled, GitHubSignature.Sign(WebhookPayloads.IssueLabeled, secret));
}

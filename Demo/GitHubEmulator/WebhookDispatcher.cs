using System.Text;
using System.Text.Json.Nodes;
using Baton.Webhooks.GitHub;

namespace Baton.Demo.GitHubEmulator;

/// <summary>One webhook the emulator tried to deliver. <see cref="Status"/> is null when no answer came.</summary>
public sealed record EmulatedDelivery(string Id, string Event, string Action, string Body, int? Status, string? Error)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Sends webhooks one at a time, in the order they were queued, signed like GitHub's (<c>X-Hub-Signature-256</c>).
/// Each delivery is tried once and recorded with its outcome; nothing is retried.
/// </summary>
sealed class WebhookDispatcher : IAsyncDisposable
{
    readonly OrderedWork queue = new();
    readonly List<EmulatedDelivery> deliveries = [];
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };


    public Uri? Url { get; set; }

    public string? Secret { get; set; }

    public IReadOnlyList<EmulatedDelivery> Deliveries
    {
        get { lock (deliveries) return [.. deliveries]; }
    }

    /// <summary>Queues a delivery when a webhook URL is configured; the body is fixed now, so it shows the state of this moment.</summary>
    public void Enqueue(string gitHubEvent, string action, JsonObject payload)
    {
        if (Url is not { } url) return;
        var body = payload.ToJsonString();
        var secret = Secret;
        queue.Enqueue(() => DeliverAsync(url, secret, gitHubEvent, action, body));
    }

    /// <summary>Completes once every delivery queued before the call has been attempted.</summary>
    public Task DeliveredAsync() => queue.DrainedAsync();

    async Task DeliverAsync(Uri url, string? secret, string gitHubEvent, string action, string body)
    {
        var id = Guid.NewGuid().ToString();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/emulator");
        request.Headers.TryAddWithoutValidation("X-GitHub-Event", gitHubEvent);
        request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", id);
        request.Headers.TryAddWithoutValidation("X-GitHub-Hook-ID", "1");
        if (secret is not null) request.Headers.TryAddWithoutValidation(GitHubSignature.HeaderName, GitHubSignature.Sign(bytes, secret));

        EmulatedDelivery delivery;
        try
        {
            using var response = await http.SendAsync(request);
            delivery = new(id, gitHubEvent, action, body, (int)response.StatusCode, response.IsSuccessStatusCode ? null : response.ReasonPhrase);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            delivery = new(id, gitHubEvent, action, body, null, exception.Message);
        }
        lock (deliveries) deliveries.Add(delivery);
    }

    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync();
        http.Dispose();
    }
}

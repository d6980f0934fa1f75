namespace Baton.Webhooks.GitHub;

/// <summary>Webhook intake settings, from the <c>GitHub</c> section (<c>GitHub__WebhookSecret</c>, …).</summary>
public sealed class GitHubWebhookOptions
{
    public const string SectionName = "GitHub";

    /// <summary>GitHub's own cap on a webhook payload.</summary>
    public const long GitHubMaxPayloadBytes = 25L * 1024 * 1024;

    /// <summary>The secret set on the webhook. Without any secret, intake is off (503).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>More accepted secrets, for rotating without missing a delivery.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Bodies larger than this are refused with 413.</summary>
    public long MaxPayloadBytes { get; set; } = GitHubMaxPayloadBytes;

    /// <summary>Every non-empty secret, the primary first.</summary>
    public IReadOnlyList<string> ConfiguredSecrets =>
        new[] { WebhookSecret }.Concat(WebhookSecrets).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct().ToList();
}

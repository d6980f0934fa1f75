using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Jira;

/// <summary>
/// How Baton reaches Jira Cloud's REST v3 API and hears from it (ARCHITECTURE.md §2.5, §3.3): basic auth with an
/// account's email and API token, the secrets that sign webhooks, and per-project statuses and target repositories.
/// Without <see cref="BaseUrl"/>, <see cref="Email"/> and <see cref="ApiToken"/> the Jira feature is reported off.
/// </summary>
public sealed class JiraOptions
{
    public const string SectionName = "Jira";

    /// <summary>The site, e.g. <c>https://your-domain.atlassian.net</c> (or the emulator).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The account the API token belongs to.</summary>
    public string? Email { get; set; }

    /// <summary>The account's API token. Never logged.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The secret of an admin webhook (<c>X-Hub-Signature</c>) or of an automation rule's header.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>More accepted secrets, for rotating without missing a delivery.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>The header an automation rule's "Send web request" carries its shared secret in.</summary>
    [Required]
    public string SecretHeader { get; set; } = "X-Baton-Secret";

    /// <summary>Bodies larger than this are refused with 413.</summary>
    [Range(1024, 25L * 1024 * 1024)]
    public long MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Entering this status starts planning a feature (per project: <see cref="JiraProjectOptions.ReadyStatus"/>).</summary>
    [Required]
    public string ReadyStatus { get; set; } = "Ready to build";

    /// <summary>The status a feature moves to when its first issue is claimed.</summary>
    [Required]
    public string InProgressStatus { get; set; } = "In Progress";

    /// <summary>The status a feature moves to when its milestone completes.</summary>
    [Required]
    public string DoneStatus { get; set; } = "Done";

    /// <summary>How often a created feature's GitHub issues are read to tell Jira (in progress, done).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Jira account ids whose <c>/baton approve</c> or <c>/baton reject …</c> reply answers a feature's plan. None:
    /// replies on Jira answer nothing, and plans are approved on Discord or the dashboard.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>Per Jira project key: where its features are built and which statuses it uses.</summary>
    public Dictionary<string, JiraProjectOptions> Projects { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The short HTTP-level retry; the engine's durable retry handles longer outages.</summary>
    public JiraRetryOptions Retry { get; set; } = new();

    /// <summary>Every non-empty secret, the primary first.</summary>
    public IReadOnlyList<string> ConfiguredSecrets =>
        new[] { WebhookSecret }.Concat(WebhookSecrets).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct().ToList();

    /// <summary>True when the REST API can be called.</summary>
    public bool HasCredentials => BaseUrl is not null && !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrWhiteSpace(ApiToken);

    /// <summary>The project's settings, the defaults filled in; null for a project Baton does not build.</summary>
    public JiraProject? ProjectFor(string projectKey) =>
        Projects.TryGetValue(projectKey, out var project) && project.RepositoryList is { Count: > 0 } repositories
            ? new JiraProject(projectKey.ToUpperInvariant(), repositories, project.ReadyStatus ?? ReadyStatus,
                project.InProgressStatus ?? InProgressStatus, project.DoneStatus ?? DoneStatus)
            : null;
}

/// <summary>One Jira project's settings (<c>Jira__Projects__{KEY}__…</c>); empty statuses take the section's.</summary>
public sealed class JiraProjectOptions
{
    /// <summary>The target repository (<c>owner/repo</c>), or several separated by commas.</summary>
    public string? Repository { get; set; }

    public string? ReadyStatus { get; set; }

    public string? InProgressStatus { get; set; }

    public string? DoneStatus { get; set; }

    internal IReadOnlyList<string> RepositoryList =>
        (Repository ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(r => r.Split('/') is [{ Length: > 0 }, { Length: > 0 }]).ToList();
}

/// <summary>A Jira project as Baton builds it: its target repositories and its workflow's status names.</summary>
public sealed record JiraProject(string Key, IReadOnlyList<string> Repositories, string ReadyStatus, string InProgressStatus, string DoneStatus);

/// <summary>Seconds-long retries for transient failures only; attempts stay small so they do not multiply with the engine's.</summary>
public sealed class JiraRetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    [Range(1, 3)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First back-off delay; later ones grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.GitHub;

/// <summary>How Baton reaches GitHub's REST v3 API (ARCHITECTURE.md §3.3). Authenticate with a token or as a GitHub App.</summary>
public sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>REST root: api.github.com, a GitHub Enterprise Server's <c>/api/v3</c>, or a test server.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>A personal access token. When set, it is used and the App settings are ignored.</summary>
    public string? Token { get; set; }

    /// <summary>The GitHub App's id (the JWT issuer).</summary>
    public string? AppId { get; set; }

    /// <summary>The App's private key in PEM form; literal <c>\n</c> sequences (one-line environment variables) are accepted.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The installation to mint tokens for; when empty it is looked up per repository.</summary>
    public long? InstallationId { get; set; }

    /// <summary>An installation token is replaced when it has less than this left (GitHub issues them for one hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:50:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The short HTTP-level retry; the engine's durable retry handles longer outages.</summary>
    public GitHubRetryOptions Retry { get; set; } = new();

    /// <summary>Most responses kept for conditional requests (one per URL).</summary>
    [Range(0, 1_000_000)]
    public int ETagCacheEntries { get; set; } = 10_000;

    public bool UsesToken => !string.IsNullOrWhiteSpace(Token);

    public bool UsesApp => !UsesToken && !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(PrivateKey);
}

/// <summary>Seconds-long retries for transient failures only; attempts stay small so they do not multiply with the engine's.</summary>
public sealed class GitHubRetryOptions
{
    /// <summary>Attempts in all, the first included.</summary>
    [Range(1, 3)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First back-off delay; later ones grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A rate-limit answer whose Retry-After is at most this is waited out here; longer ones go to the engine.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxHonouredRetryAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Time limit of one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

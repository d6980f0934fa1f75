using System.ComponentModel.DataAnnotations;

namespace Baton.Webhooks.Discord;

/// <summary>
/// Interaction intake settings, from the <c>Discord</c> section (<c>Discord__PublicKey</c>, <c>Discord__ApplicationId</c>,
/// <c>Discord__Approvers__N</c>). The outgoing side (bot token, channel) binds the same section in its own class.
/// </summary>
public sealed class DiscordInteractionOptions
{
    public const string SectionName = "Discord";

    /// <summary>The application's public key (64 hex digits, Developer Portal → General Information). Without it the
    /// endpoint refuses everything with 503.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The application id, for registering the <c>/baton</c> command at start-up.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>Who may act: <c>user:ID</c>, <c>role:ID</c> or a bare user id, each optionally <c>=githubLogin</c>.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>How far <c>X-Signature-Timestamp</c> may be from now; older (or later) requests get 401.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bodies larger than this get 413. An interaction is a few kilobytes; a modal carries at most 4,000 characters.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>How long a button click waits for its escalation to settle before answering "received, applying"; with
    /// the rest of the request it stays inside Discord's 3-second deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:02.500")]
    public TimeSpan SettleWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a gate's approval may spend reading the pull request's head from GitHub.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02")]
    public TimeSpan HeadReadTimeout { get; set; } = TimeSpan.FromMilliseconds(800);
}

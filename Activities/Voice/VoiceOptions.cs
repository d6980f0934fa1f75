using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Voice;

/// <summary>Spoken requests (ARCHITECTURE.md §2.5): where uploads go, their limits, who may send them, and what a clear
/// request becomes (<c>Voice__…</c>).</summary>
public sealed class VoiceOptions
{
    public const string SectionName = "Voice";

    /// <summary>Where uploads and their converted WAVs are kept until the request finishes. Default: <c>.baton/voice</c>
    /// under the content root. With several hosts it must be a volume they share.</summary>
    public string? UploadDirectory { get; set; }

    /// <summary>The largest upload accepted (413 beyond it).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The longest recording accepted (422 beyond it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>API keys allowed to upload (<c>Voice__ApiKeys__N</c>, each <c>name:secret</c>; the name is who sent it).
    /// A signed-in dashboard member may upload too.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>The Jira project a request goes to when the speaker names none and the model cannot tell (a key of
    /// <c>Jira__Projects</c>).</summary>
    public string? DefaultProject { get; set; }

    /// <summary>Also create the GitHub issue, labelled <c>approved</c>, in the project's repository, so the conductor queues it.</summary>
    public bool AutoDispatch { get; set; }

    /// <summary>Below this confidence the speaker is asked, even when the model has no question.</summary>
    [Range(0.0, 1.0)]
    public double MinConfidence { get; set; } = 0.7;

    /// <summary>How many times the speaker is asked before the ticket is created with its open questions listed (and
    /// not dispatched).</summary>
    [Range(0, 10)]
    public int MaxClarificationRounds { get; set; } = 2;

    /// <summary>How often the event stream looks for new progress.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:00:10")]
    public TimeSpan EventPoll { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The configured API keys as (name, secret) pairs; malformed entries are left out.</summary>
    public IReadOnlyList<(string Name, string Secret)> Keys =>
        [.. ApiKeys.Select(k => k.Split(':', 2)).Where(p => p.Length == 2 && p[0].Length > 0 && p[1].Length > 0).Select(p => (p[0], p[1]))];
}

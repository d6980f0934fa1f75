using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Agents;

/// <summary>The host's side of the runner protocol, bound from the <c>Runner</c> section (the runner's own keys live
/// there too: see <c>Baton.Runner.RunnerOptions</c>).</summary>
public sealed class RunnerHostOptions
{
    public const string SectionName = "Runner";

    /// <summary>Run an in-process runner (default). <c>Runner__Embedded=false</c> leaves jobs to external runners.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Tokens external runners present as <c>Authorization: Bearer</c> (<c>Runner__Tokens__N</c>). With none,
    /// the runner endpoints refuse every caller.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>How long a job stays with a runner without a heartbeat before it is offered to another one.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan JobLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many runners a job is offered to before it fails as StaleWorker (each lost heartbeat is one more).</summary>
    [Range(1, 20)]
    public int MaxOffers { get; set; } = 3;

    /// <summary>Overrides the clone URL, e.g. <c>/srv/git/{repository}.git</c>; see <see cref="GitHubRepositoryAccess"/>.</summary>
    public string? CloneUrlTemplate { get; set; }

    internal IEnumerable<string> ConfiguredTokens => Tokens.Where(t => !string.IsNullOrWhiteSpace(t));
}

using System.ComponentModel.DataAnnotations;

namespace Baton.Orchestrations.Conductor;

/// <summary>What the conductor manages. Section <c>Conductor</c> (<c>Conductor__Repositories__0=owner/repo</c>, …).</summary>
public sealed class ConductorOptions
{
    public const string SectionName = "Conductor";

    /// <summary>Repositories whose approved issues are queued, as <c>owner/repo</c>.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Agent slots across all repositories.</summary>
    [Range(0, 1000)]
    public int Capacity { get; set; } = 2;

    /// <summary>Optional slot limits for single repositories, on top of <see cref="Capacity"/>:
    /// <c>Conductor__RepositoryLimits__0__Repository=owner/repo</c>, <c>Conductor__RepositoryLimits__0__Capacity=1</c>.</summary>
    public List<RepositoryLimit> RepositoryLimits { get; set; } = [];

    /// <summary>When the reconcile sweep runs: a 6-field cron (seconds first), as in Functions timer triggers.</summary>
    public string SweepSchedule { get; set; } = "0 * * * * *";

    /// <summary>The account issues are assigned to while an agent works on them (none: no assignment).</summary>
    public string? AgentLogin { get; set; }
}

/// <summary>At most <see cref="Capacity"/> agents at once on <see cref="Repository"/> (<c>owner/repo</c>).</summary>
public sealed class RepositoryLimit
{
    public string Repository { get; set; } = "";

    [Range(0, 1000)]
    public int Capacity { get; set; }
}

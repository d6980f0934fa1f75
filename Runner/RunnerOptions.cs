using System.ComponentModel.DataAnnotations;

namespace Baton.Runner;

/// <summary>How this runner behaves: bound from the <c>Runner</c> configuration section (<c>Runner__Name</c>,
/// <c>Runner__Parallelism</c>, <c>Runner__Agents__claude-code__Executable</c>, ...).</summary>
/// <remarks>The host's own runner settings (<c>Runner__Tokens__N</c>) live in the same section; the keys here do not
/// collide with them, so the embedded in-process runner and a standalone runner read one section.</remarks>
public sealed class RunnerOptions
{
    public const string SectionName = "Runner";

    /// <summary>Shown to operators in the host's job list; defaults to the machine name.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>How many jobs run at once (one slot each). Each agent is a heavy process; keep this small.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 1;

    /// <summary>How long one long-poll for the next job may wait on the host (the protocol caps it at 60 s).</summary>
    public TimeSpan PollWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause after a failed poll or registration before trying again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Log lines are sent when this many are waiting or <see cref="LogFlushInterval"/> has passed.</summary>
    [Range(1, 1000)]
    public int LogBatchSize { get; set; } = 50;

    public TimeSpan LogFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The host's base URL, for a standalone runner (<see cref="Connection.HttpRunnerConnection"/>).</summary>
    public string? HostUrl { get; set; }

    /// <summary>This runner's token (one of the host's <c>Runner__Tokens__N</c>), sent as a Bearer token.</summary>
    public string? Token { get; set; }

    public WorkspaceOptions Workspace { get; set; } = new();

    /// <summary>The adapters this runner offers, by adapter name ("claude-code", "opencode", "codex", "aider",
    /// "command"). Only configured names are offered at registration.</summary>
    public Dictionary<string, AgentCliOptions> Agents { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Where job workspaces live and how git is driven in them.</summary>
public sealed class WorkspaceOptions
{
    /// <summary>Parent folder of the per-job folders; defaults to <c>baton-jobs</c> under the system temp folder.</summary>
    public string Root { get; set; } = Path.Combine(Path.GetTempPath(), "baton-jobs");

    public string GitExecutable { get; set; } = "git";

    /// <summary>Limit for each git command (clone and push of a large repository take the longest).</summary>
    public TimeSpan GitTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public string AuthorName { get; set; } = "Baton Agent";

    public string AuthorEmail { get; set; } = "agent@baton.local";
}

/// <summary>One agent CLI: where it is and what else to pass it.</summary>
public sealed class AgentCliOptions
{
    /// <summary>Path or name on PATH; empty means the adapter's usual name (<c>claude</c>, <c>aider</c>, ...). The
    /// <c>command</c> adapter requires it.</summary>
    public string? Executable { get; set; }

    /// <summary>Appended after the adapter's own arguments (for <c>command</c>: the whole argument list).</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Extra variables for the agent process, typically its LLM API key. The runner's own configuration
    /// (any variable whose name contains <c>__</c>) is never inherited by agents.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);
}

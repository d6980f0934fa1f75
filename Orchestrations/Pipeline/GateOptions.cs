namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// Server-side human-gate settings, bound from the <c>Pipeline</c> section next to the agent settings:
/// <list type="bullet">
/// <item><c>Pipeline__Gates__&lt;class&gt;__N</c>: globs added to a class's built-in ones (<c>payments</c>, or
/// <c>Payments</c> where a shell dislikes hyphens);</item>
/// <item><c>Pipeline__Approvers__N</c>: GitHub logins whose approving review satisfies a gate, in every repository;</item>
/// <item><c>Pipeline__DisabledGates__N</c>: classes switched off server-wide;</item>
/// <item><c>Pipeline__ReplaceDefaultGates</c>: when true, a class listed under <c>Gates</c> uses only those globs;</item>
/// <item><c>Pipeline__AllowRepositoryDisable</c>: whether a repository's <c>.baton.yml</c> may switch classes off.</item>
/// </list>
/// Problems (an unknown class, an empty glob) do not stop the host: <see cref="GateRules.ServerPolicy"/> reports them
/// on the policy, which gates every pull request as <c>baton-config</c> until an operator fixes them.
/// </summary>
public sealed class GateOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Extra globs per class name.</summary>
    public Dictionary<string, List<string>> Gates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Logins allowed to approve a gated pull request (compared case-insensitively).</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>Classes that are not gated on this server (a repository may still add globs for them).</summary>
    public List<string> DisabledGates { get; set; } = [];

    /// <summary>When true, the globs under <see cref="Gates"/> replace a class's built-ins instead of adding to them.</summary>
    public bool ReplaceDefaultGates { get; set; }

    /// <summary>Whether <c>disable:</c> in a repository's <c>.baton.yml</c> is honoured (default true).</summary>
    public bool AllowRepositoryDisable { get; set; } = true;
}

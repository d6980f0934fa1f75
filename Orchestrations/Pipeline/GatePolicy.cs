namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// The gate rules in force for one repository: built-in defaults, then server config, then the repository's
/// <c>.baton.yml</c> (see <see cref="GateRules.Policy"/>). Immutable and serializable, so an orchestration can keep it
/// in its history. <see cref="ConfigErrors"/> lists configuration problems; any of them gates every pull request as
/// <see cref="GateClass.BatonConfig"/>, with the problems in the comment.
/// </summary>
public sealed record GatePolicy(
    IReadOnlyList<GateRule> Rules,
    IReadOnlyList<string> Approvers,
    IReadOnlyList<GateClass> Disabled,
    IReadOnlyList<string> ConfigErrors)
{
    /// <summary>The built-in rules alone, with no approvers.</summary>
    public static GatePolicy Defaults { get; } = new(GateDefaults.Rules, [], [], []);

    public IReadOnlyList<string> GlobsFor(GateClass gateClass) =>
        gateClass == GateClass.BatonConfig
            ? GateDefaults.BatonConfigGlobs
            : Rules.Where(r => r.Class == gateClass).SelectMany(r => r.Globs).ToArray();

    /// <summary>The approvers as a case-insensitive set, for <see cref="GateRules.IsSatisfied"/>.</summary>
    public IReadOnlySet<string> ApproverSet() => new HashSet<string>(Approvers, StringComparer.OrdinalIgnoreCase);
}

namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// A risk class that stops a pull request at a human gate (ARCHITECTURE.md §2.2 step 7). The kebab-case names from
/// <see cref="GateClasses.Name"/> are a public contract: they appear in server config (<c>Pipeline__Gates__payments__0</c>),
/// in <c>.baton.yml</c> and in the <c>needs-human</c> comment.
/// </summary>
public enum GateClass
{
    /// <summary><c>auth-session</c>: authentication, authorization, sessions, login, passwords, tokens.</summary>
    AuthSession,

    /// <summary><c>payments</c>: payment, billing, checkout and invoicing code and provider integrations.</summary>
    Payments,

    /// <summary><c>schema-migrations</c>: database schema files and migrations.</summary>
    SchemaMigrations,

    /// <summary><c>data-deletion</c>: code that deletes, purges or expires data, and destructive SQL in a diff.</summary>
    DataDeletion,

    /// <summary><c>new-dependencies</c>: a dependency manifest or lockfile that gains a dependency.</summary>
    NewDependencies,

    /// <summary>
    /// <c>baton-config</c>: the pull request edits <c>.baton.yml</c> (so an agent cannot loosen its own gates unseen), or
    /// the repository's <c>.baton.yml</c> is invalid (so a typo never silently removes a gate). It cannot be disabled.
    /// </summary>
    BatonConfig,
}

/// <summary>The stable names of <see cref="GateClass"/> values, and parsing them back.</summary>
public static class GateClasses
{
    static readonly (GateClass Class, string Name)[] Names =
    [
        (GateClass.AuthSession, "auth-session"),
        (GateClass.Payments, "payments"),
        (GateClass.SchemaMigrations, "schema-migrations"),
        (GateClass.DataDeletion, "data-deletion"),
        (GateClass.NewDependencies, "new-dependencies"),
        (GateClass.BatonConfig, "baton-config"),
    ];

    /// <summary>Every class, in the order comments list them.</summary>
    public static IReadOnlyList<GateClass> All { get; } = Names.Select(n => n.Class).ToArray();

    /// <summary>The classes a configuration may name (all but <see cref="GateClass.BatonConfig"/>, which is built in).</summary>
    public static IReadOnlyList<GateClass> Configurable { get; } = All.Where(c => c != GateClass.BatonConfig).ToArray();

    public static string Name(this GateClass gateClass) => Names.First(n => n.Class == gateClass).Name;

    /// <summary>
    /// Parses a configured name. Kebab-case is canonical; the enum name (<c>SchemaMigrations</c>) is accepted too because
    /// configuration keys are often written that way. Case-insensitive.
    /// </summary>
    public static bool TryParse(string? name, out GateClass gateClass)
    {
        var normalized = (name ?? "").Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        foreach (var (value, _) in Names)
        {
            if (string.Equals(value.ToString(), normalized, StringComparison.OrdinalIgnoreCase))
            {
                gateClass = value;
                return true;
            }
        }
        gateClass = default;
        return false;
    }

    /// <summary>The configurable names, for error messages.</summary>
    public static string ConfigurableNames => string.Join(", ", Configurable.Select(c => c.Name()));
}

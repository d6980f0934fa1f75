namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// The human-gate rules (ARCHITECTURE.md §2.2 step 7): which risk classes a pull request hits, and whether the
/// approvals on it satisfy the gate. Pure: no I/O, no clock; the orchestration fetches the files, reviews and
/// <c>.baton.yml</c> through activities and passes them in.
/// </summary>
public static partial class GateRules
{
    /// <summary>The built-in rules changed by server config (see <see cref="GateOptions"/>).</summary>
    public static GatePolicy ServerPolicy(GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var rules = GateDefaults.Rules.ToDictionary(r => r.Class, r => r.Globs.ToList());
        var disabled = new List<GateClass>();

        foreach (var name in options.DisabledGates)
            if (Configurable(name, "Pipeline:DisabledGates", errors) is { } gateClass)
            {
                rules[gateClass].Clear();
                disabled.Add(gateClass);
            }
        foreach (var (name, globs) in options.Gates)
        {
            if (Configurable(name, "Pipeline:Gates", errors) is not { } gateClass) continue;
            var valid = new List<string>();
            foreach (var glob in globs ?? [])
            {
                if (GlobPattern.TryParse(glob, out _, out var error)) valid.Add(glob.Trim());
                else errors.Add($"Pipeline:Gates:{name}: {error}");
            }
            if (options.ReplaceDefaultGates) rules[gateClass].Clear();
            rules[gateClass].AddRange(valid);
            disabled.Remove(gateClass);
        }
        var approvers = options.Approvers.Select(a => a.Trim().TrimStart('@')).Where(a => a.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new GatePolicy(ToRules(rules), approvers, disabled.Distinct().ToArray(), errors);
    }

    /// <summary>
    /// The policy for one repository: <paramref name="server"/> plus its <c>.baton.yml</c>. Repository globs add to a
    /// class; <c>disable</c> drops a class's inherited globs first (so <c>disable</c> plus <c>gates</c> for the same class
    /// replaces the defaults); repository approvers add to the server's.
    /// </summary>
    /// <remarks>
    /// An invalid <c>.baton.yml</c> does not stop the pipeline and is not ignored: the server rules apply unchanged
    /// and the error goes to <see cref="GatePolicy.ConfigErrors"/>, which gates the pull request as
    /// <see cref="GateClass.BatonConfig"/>. Falling back silently could drop a gate the file meant to add (a typo in
    /// <c>payments:</c>) and let a risky change merge unseen; failing the pipeline would stall work on a comment nobody
    /// reads. Gating shows the error to a person, who can fix the file or approve this one pull request.
    /// </remarks>
    public static GatePolicy Policy(GatePolicy server, RepositoryGateConfigResult repository, bool allowRepositoryDisable = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.Config is not { } config)
            return server with { ConfigErrors = [.. server.ConfigErrors, repository.Error ?? $"`{RepositoryGateConfig.FileName}` could not be read."] };

        var errors = server.ConfigErrors.ToList();
        var rules = GateClasses.Configurable.ToDictionary(c => c, c => server.GlobsFor(c).ToList());
        var disabled = server.Disabled.ToList();
        if (config.Disable.Count > 0 && !allowRepositoryDisable)
        {
            errors.Add($"`{RepositoryGateConfig.FileName}` disables {string.Join(", ", config.Disable.Select(c => c.Name()))}, but this server does not let repositories disable gates (Pipeline:AllowRepositoryDisable).");
        }
        else
        {
            foreach (var gateClass in config.Disable)
            {
                rules[gateClass].Clear();
                disabled.Add(gateClass);
            }
        }
        foreach (var rule in config.Gates)
        {
            rules[rule.Class].AddRange(rule.Globs);
            if (rule.Globs.Count > 0) disabled.Remove(rule.Class);
        }
        var approvers = server.Approvers.Concat(config.Approvers).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new GatePolicy(ToRules(rules), approvers, disabled.Distinct().ToArray(), errors);
    }

    /// <summary>Server config and the text of <c>.baton.yml</c> (null when the repository has none) in one step.</summary>
    public static GatePolicy Policy(GateOptions server, string? batonYml)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Policy(ServerPolicy(server), RepositoryGateConfig.Parse(batonYml), server.AllowRepositoryDisable);
    }

    /// <summary>
    /// The classes <paramref name="files"/> hit under <paramref name="policy"/>, each with the paths that triggered it.
    /// A renamed file is matched by its old and its new path. Besides path globs:
    /// <list type="bullet">
    /// <item><see cref="GateClass.NewDependencies"/>: a manifest or lockfile counts only if its patch adds a dependency
    /// (<see cref="DiffSignals.AddedDependencies"/>); a removed manifest does not count; a missing patch (binary or too
    /// large) counts, since nothing shows it is harmless; a path matched by a configured glob that is not a manifest
    /// Baton knows counts on any change.</item>
    /// <item><see cref="GateClass.DataDeletion"/>: also any file whose patch adds bulk-deleting code
    /// (<see cref="DiffSignals.DestructiveLines"/>).</item>
    /// <item><see cref="GateClass.BatonConfig"/>: the pull request edits <c>.baton.yml</c>, or the policy has config errors.</item>
    /// </list>
    /// </summary>
    public static GateDecision Decide(IReadOnlyList<ChangedFile> files, GatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(policy);
        var triggers = GateClasses.All.ToDictionary(c => c, _ => new List<GateTrigger>());
        var globs = GateClasses.All.ToDictionary(c => c, c => policy.GlobsFor(c).Select(GlobPattern.Parse).ToArray());

        foreach (var error in policy.ConfigErrors)
            triggers[GateClass.BatonConfig].Add(new GateTrigger(RepositoryGateConfig.FileName, error));

        foreach (var file in files)
        {
            foreach (var gateClass in GateClasses.All)
            {
                if (FirstMatch(globs[gateClass], file) is not { } glob) continue;
                var why = gateClass == GateClass.NewDependencies ? DependencyReason(file, glob) : $"matches `{glob.Text}`";
                if (why is not null) triggers[gateClass].Add(new GateTrigger(file.Path, why));
            }
            if (file.Patch is { } patch && globs[GateClass.DataDeletion].Length > 0
                && triggers[GateClass.DataDeletion].All(t => t.Path != file.Path)
                && DiffSignals.DestructiveLines(patch) is [var first, ..] destructive)
            {
                triggers[GateClass.DataDeletion].Add(new GateTrigger(file.Path, Adds(first, destructive.Count, "deleting data")));
            }
        }
        return new GateDecision(GateClasses.All.Where(c => triggers[c].Count > 0).Select(c => new GateHit(c, triggers[c])).ToArray());
    }

    /// <summary>Why a file matched by a new-dependencies glob gates, or null when its diff adds no dependency.</summary>
    static string? DependencyReason(ChangedFile file, GlobPattern glob)
    {
        if (file.IsRemoved) return null;
        if (file.Patch is null) return $"matches `{glob.Text}` and GitHub sent no diff to check (binary or too large)";
        return DiffSignals.AddedDependencies(file.Path, file.Patch) switch
        {
            null => $"matches `{glob.Text}`",
            [] => null,
            [var first, ..] lines => Adds(first, lines.Count, "a dependency"),
        };
    }

    static string Adds(string first, int count, string what)
    {
        var shown = first.Length <= 120 ? first : first[..120] + "…";
        return $"adds {what}: `{shown.Replace('`', '\'')}`" + (count > 1 ? $" (and {count - 1} more line{(count > 2 ? "s" : "")})" : "");
    }

    static GlobPattern? FirstMatch(GlobPattern[] patterns, ChangedFile file) =>
        patterns.FirstOrDefault(g => g.IsMatch(file.Path) || (file.PreviousPath is { } previous && g.IsMatch(previous)));

    static GateClass? Configurable(string name, string where, List<string> errors)
    {
        if (GateClasses.TryParse(name, out var gateClass) && gateClass != GateClass.BatonConfig) return gateClass;
        errors.Add($"{where}: unknown gate class `{name}` (expected {GateClasses.ConfigurableNames}).");
        return null;
    }

    static GateRule[] ToRules(Dictionary<GateClass, List<string>> rules) =>
        GateClasses.Configurable.Select(c => new GateRule(c, rules[c].Distinct(StringComparer.Ordinal).ToArray())).ToArray();
}

using System.Text.RegularExpressions;

namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// What a file's unified diff (GitHub's <c>patch</c>) says beyond its path:
/// <list type="bullet">
/// <item><see cref="AddedDependencies"/>: whether a manifest or lockfile gains a dependency, as opposed to bumping or
/// removing one;</item>
/// <item><see cref="DestructiveLines"/>: added lines that delete data in bulk (SQL <c>DROP</c>/<c>TRUNCATE</c>/<c>DELETE
/// FROM</c>, ORM bulk deletes).</item>
/// </list>
/// Pure and conservative: when it cannot tell, it says "new".
/// </summary>
public static partial class DiffSignals
{
    /// <summary>How a manifest's lines are read: which lines can declare a dependency.</summary>
    enum ManifestKind { Lines, JsonSections, TomlSections, MsBuild, Maven }

    static readonly HashSet<string> JsonDependencySections = new(StringComparer.Ordinal)
    {
        "dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "bundleDependencies",
        "bundledDependencies", "overrides", "resolutions", "require", "require-dev", "imports",
    };

    static readonly HashSet<string> JsonOtherSections = new(StringComparer.Ordinal)
    {
        "scripts", "engines", "config", "exports", "files", "keywords", "repository", "bugs", "author", "contributors",
        "publishConfig", "eslintConfig", "prettier", "jest", "browserslist", "directories", "bin", "man", "funding",
        "autoload", "autoload-dev", "extra", "scripts-descriptions", "support", "tasks", "compilerOptions", "lint", "fmt",
    };

    /// <summary>
    /// The lines that add a dependency, or null when the file is not a manifest this knows how to read (then any
    /// change to a gated manifest path counts). An empty list means "only bumps, removals or unrelated edits".
    /// </summary>
    /// <remarks>
    /// The rule: take the added and removed lines that can declare a dependency (for <c>package.json</c> and
    /// <c>composer.json</c> only those outside known non-dependency sections such as <c>scripts</c>; for TOML
    /// manifests those outside tables that are not dependency tables; for MSBuild files only <c>PackageReference</c>,
    /// <c>PackageVersion</c> and <c>package</c> lines; for <c>pom.xml</c> only <c>groupId</c>/<c>artifactId</c>; for
    /// lockfiles and line-based manifests every line but comments). Normalise each by erasing versions, hashes,
    /// version operators, quotes, commas and spaces. An added line whose normalised form has no removed twin (counted,
    /// so two additions need two removals) introduces something: a dependency, a transitive lock entry, or an unknown
    /// edit. A version bump removes and adds the same normalised line, so it is not new.
    /// </remarks>
    public static IReadOnlyList<string>? AddedDependencies(string path, string patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (Kind(path) is not { } kind) return null;

        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = new List<(string Key, string Line)>();
        foreach (var line in RelevantLines(kind, patch))
        {
            var key = Normalize(line.Text);
            if (key is null) continue;
            if (line.Sign == '-') removed[key] = removed.GetValueOrDefault(key) + 1;
            else added.Add((key, line.Text.Trim()));
        }
        var introduced = new List<string>();
        foreach (var (key, text) in added)
        {
            if (removed.TryGetValue(key, out var count) && count > 0) removed[key] = count - 1;
            else introduced.Add(text);
        }
        return introduced;
    }

    /// <summary>Added lines that delete data in bulk, trimmed.</summary>
    public static IReadOnlyList<string> DestructiveLines(string patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return Changes(patch).Where(l => l.Sign == '+' && Destructive().IsMatch(l.Text)).Select(l => l.Text.Trim()).ToArray();
    }

    static ManifestKind? Kind(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return name switch
        {
            "package.json" or "composer.json" or "deno.json" => ManifestKind.JsonSections,
            "pyproject.toml" or "Cargo.toml" or "Pipfile" => ManifestKind.TomlSections,
            "pom.xml" => ManifestKind.Maven,
            "Directory.Packages.props" or "Directory.Build.props" or "Directory.Build.targets" or "packages.config" => ManifestKind.MsBuild,
            _ when name.EndsWith(".csproj", StringComparison.Ordinal) || name.EndsWith(".fsproj", StringComparison.Ordinal)
                || name.EndsWith(".vbproj", StringComparison.Ordinal) => ManifestKind.MsBuild,
            "package-lock.json" or "npm-shrinkwrap.json" or "yarn.lock" or "pnpm-lock.yaml" or "pnpm-workspace.yaml" or "bun.lock"
                or "deno.lock" or "packages.lock.json" or "dotnet-tools.json" or "paket.dependencies" or "paket.lock" or "Pipfile.lock"
                or "poetry.lock" or "uv.lock" or "go.mod" or "go.sum" or "go.work" or "Cargo.lock" or "Gemfile" or "Gemfile.lock"
                or "composer.lock" or "build.gradle" or "build.gradle.kts" or "libs.versions.toml" or "gradle.lockfile" or "mix.exs"
                or "mix.lock" or "pubspec.yaml" or "pubspec.lock" or "Package.swift" or "Package.resolved" or "Podfile"
                or "Podfile.lock" or "setup.cfg" => ManifestKind.Lines,
            _ when name.StartsWith("requirements", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal) => ManifestKind.Lines,
            _ when path.Contains("/requirements/", StringComparison.Ordinal) || path.StartsWith("requirements/", StringComparison.Ordinal) => ManifestKind.Lines,
            _ when name.EndsWith(".gemspec", StringComparison.Ordinal) => ManifestKind.Lines,
            _ => null,
        };
    }

    readonly record struct DiffLine(char Sign, string Text);

    /// <summary>Context, added and removed lines of every hunk; a hunk header is reported with sign '@'.</summary>
    static IEnumerable<DiffLine> Changes(string patch)
    {
        foreach (var raw in patch.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("@@", StringComparison.Ordinal)) yield return new('@', line);
            else if (line.Length > 0 && line[0] is '+' or '-' or ' ') yield return new(line[0], line[1..]);
            // "\ No newline at end of file" and stray lines carry nothing.
        }
    }

    static IEnumerable<DiffLine> RelevantLines(ManifestKind kind, string patch)
    {
        // Hunks start mid-file, so a section is known only once its header shows up in the hunk; until then every
        // line counts (the conservative choice).
        bool? inDependencySection = null;
        var sectionIndent = -1;
        foreach (var line in Changes(patch))
        {
            if (line.Sign == '@')
            {
                (inDependencySection, sectionIndent) = (null, -1);
                continue;
            }
            var text = line.Text;
            var trimmed = text.Trim();
            if (IsComment(trimmed)) continue;

            switch (kind)
            {
                case ManifestKind.JsonSections:
                    if (JsonSectionStart().Match(text) is { Success: true } start)
                    {
                        // A section header declares nothing itself; nested objects (an override's sub-tree) are not headers.
                        var name = start.Groups["name"].Value;
                        var known = JsonDependencySections.Contains(name) ? true : JsonOtherSections.Contains(name) ? false : (bool?)null;
                        if (known is not null)
                        {
                            (inDependencySection, sectionIndent) = (known, start.Groups["indent"].Length);
                            continue;
                        }
                    }
                    else if (sectionIndent >= 0 && (trimmed.StartsWith('}') || trimmed.StartsWith(']')) && Indent(text) == sectionIndent)
                    {
                        (inDependencySection, sectionIndent) = (null, -1);
                        continue;
                    }
                    break;
                case ManifestKind.TomlSections:
                    if (TomlTable().Match(trimmed) is { Success: true } table)
                    {
                        var name = table.Groups["name"].Value;
                        inDependencySection = name.Contains("dependencies", StringComparison.Ordinal) || name.Contains("requires", StringComparison.Ordinal)
                            || name is "project" or "packages" or "dev-packages" or "build-system" or "tool.poetry" or "patch" or "replace";
                        // Cargo's [dependencies.serde] names the dependency in the header itself.
                        if (line.Sign == ' ' || inDependencySection == false) continue;
                    }
                    break;
                case ManifestKind.MsBuild:
                    if (!trimmed.Contains("PackageReference", StringComparison.Ordinal) && !trimmed.Contains("PackageVersion", StringComparison.Ordinal)
                        && !trimmed.Contains("PackageDownload", StringComparison.Ordinal) && !trimmed.StartsWith("<package ", StringComparison.Ordinal))
                        continue;
                    break;
                case ManifestKind.Maven:
                    if (!trimmed.StartsWith("<groupId>", StringComparison.Ordinal) && !trimmed.StartsWith("<artifactId>", StringComparison.Ordinal)) continue;
                    break;
            }
            if (line.Sign != ' ' && inDependencySection != false) yield return line;
        }
    }

    static bool IsComment(string trimmed) =>
        trimmed.StartsWith('#') || trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("<!--", StringComparison.Ordinal);

    static int Indent(string text) => text.Length - text.TrimStart().Length;

    /// <summary>The line with versions, hashes and punctuation erased; null when nothing but punctuation is left.</summary>
    static string? Normalize(string text)
    {
        var key = Hashes().Replace(text, "");
        key = Versions().Replace(key, "");
        key = Punctuation().Replace(key, "");
        return key.Any(char.IsLetter) ? key : null;
    }

    [GeneratedRegex("""^(?<indent>\s*)"(?<name>[^"]+)"\s*:\s*[\{\[]""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonSectionStart();

    [GeneratedRegex(@"^\[\[?\s*(?<name>[^\]]+?)\s*\]\]?$", RegexOptions.CultureInvariant)]
    private static partial Regex TomlTable();

    // Integrity and checksum strings: sha512-…=, h1:…=, --hash=sha256:…, and long hex digests.
    [GeneratedRegex(@"sha\d+[-:][A-Za-z0-9+/=]+|h1:[A-Za-z0-9+/=]+|--hash=\S+|\b[0-9a-fA-F]{32,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Hashes();

    // A version starts with a digit and runs through dots, letters and +/- (1.2.3, 4.17.21-beta.1, 0.0.0-2021…-abcdef).
    [GeneratedRegex(@"\d[0-9A-Za-z.+\-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Versions();

    [GeneratedRegex("""[\s"'`,;^~<>=!*|()\[\]{}]""", RegexOptions.CultureInvariant)]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\b(?:DROP\s+(?:TABLE|COLUMN|SCHEMA|DATABASE|COLLECTION)\b|TRUNCATE\s+(?:TABLE\s+)?[A-Za-z_""`\[]|DELETE\s+FROM\b|(?:delete_all|destroy_all|deleteMany|ExecuteDelete(?:Async)?|RemoveRange|dropTable|dropColumn|DropCollection)\b)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();
}

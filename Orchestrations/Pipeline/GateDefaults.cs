namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// The built-in globs per class (docs/gates.md lists them). Paths are matched case-sensitively, so each word comes in
/// its lower-case and capitalised spellings (<c>session</c> files in Node, <c>Session</c> classes in C#). They err on
/// the side of gating: a needless gate costs a person one click, a missed one can cost a breach.
/// </summary>
public static class GateDefaults
{
    /// <summary>The globs for <see cref="GateClass.BatonConfig"/>: the repository's own gate configuration.</summary>
    public static IReadOnlyList<string> BatonConfigGlobs { get; } = [RepositoryGateConfig.FileName, ".baton.yaml"];

    /// <summary>Dependency manifests and lockfiles, the default globs of <see cref="GateClass.NewDependencies"/>.</summary>
    public static IReadOnlyList<string> DependencyManifests { get; } =
    [
        // JavaScript / TypeScript
        "**/package.json", "**/package-lock.json", "**/npm-shrinkwrap.json", "**/yarn.lock", "**/pnpm-lock.yaml",
        "**/pnpm-workspace.yaml", "**/bun.lock", "**/bun.lockb", "**/deno.json", "**/deno.lock",
        // .NET
        "**/*.csproj", "**/*.fsproj", "**/*.vbproj", "**/Directory.Packages.props", "**/Directory.Build.props",
        "**/Directory.Build.targets", "**/packages.config", "**/packages.lock.json", "**/.config/dotnet-tools.json",
        "**/paket.dependencies", "**/paket.lock",
        // Python
        "**/requirements*.txt", "**/requirements/*.txt", "**/Pipfile", "**/Pipfile.lock", "**/pyproject.toml",
        "**/poetry.lock", "**/uv.lock", "**/setup.py", "**/setup.cfg",
        // Go, Rust, Ruby, PHP
        "**/go.mod", "**/go.sum", "**/go.work", "**/Cargo.toml", "**/Cargo.lock", "**/Gemfile", "**/Gemfile.lock",
        "**/*.gemspec", "**/composer.json", "**/composer.lock",
        // JVM
        "**/pom.xml", "**/build.gradle", "**/build.gradle.kts", "**/gradle/libs.versions.toml", "**/gradle.lockfile",
        // Elixir, Dart, Swift, CocoaPods
        "**/mix.exs", "**/mix.lock", "**/pubspec.yaml", "**/pubspec.lock", "**/Package.swift", "**/Package.resolved",
        "**/Podfile", "**/Podfile.lock",
    ];

    /// <summary>The built-in rules, one per configurable class.</summary>
    public static IReadOnlyList<GateRule> Rules { get; } =
    [
        new(GateClass.AuthSession,
        [
            .. Folder("auth"), .. Folder("Auth"), .. Folder("identity"), .. Folder("Identity"),
            .. Anywhere("authentication"), .. Anywhere("authorization"), .. Anywhere("session"), .. Anywhere("oauth"),
            .. Anywhere("OAuth"), .. Anywhere("password"), .. Anywhere("jwt"), .. Anywhere("JWT"), .. Anywhere("saml"),
            .. Anywhere("SAML"), .. Anywhere("csrf"), .. Anywhere("CSRF"), .. Anywhere("permission"),
            "**/login*", "**/Login*", "**/logout*", "**/Logout*", "**/signin*", "**/SignIn*", "**/signup*", "**/SignUp*",
            "**/.htpasswd",
        ]),
        new(GateClass.Payments,
        [
            .. Anywhere("payment"), .. Anywhere("billing"), .. Anywhere("stripe"), .. Anywhere("paypal"),
            .. Anywhere("PayPal"), .. Anywhere("checkout"), .. Anywhere("invoice"), .. Anywhere("subscription"),
            .. Anywhere("refund"),
        ]),
        new(GateClass.SchemaMigrations,
        [
            .. Folder("migrations"), .. Folder("Migrations"), .. Folder("migration"), .. Folder("Migration"),
            .. Folder("migrate"), .. Folder("alembic"), .. Folder("liquibase"), .. Folder("flyway"),
            "**/*.sql", "**/schema.*", "**/*.prisma", "**/prisma/schema.prisma", "**/*ModelSnapshot.cs", "**/structure.sql",
            "**/db.changelog*",
        ]),
        new(GateClass.DataDeletion,
        [
            .. Anywhere("delete"), .. Anywhere("purge"), .. Anywhere("retention"), .. Anywhere("erase"),
            .. Anywhere("gdpr"), .. Anywhere("GDPR"), .. Anywhere("wipe"), .. Anywhere("anonymi"),
            "**/*cleanup*", "**/*Cleanup*", "**/*prune*", "**/*Prune*",
        ]),
        new(GateClass.NewDependencies, DependencyManifests),
    ];

    /// <summary>A folder of that name at any depth: everything inside it.</summary>
    static string[] Folder(string name) => [$"**/{name}/**"];

    /// <summary>
    /// Any path segment containing <paramref name="word"/> (a folder, or the file name), in the word's spelling and,
    /// for a lower-case word, capitalised.
    /// </summary>
    static string[] Anywhere(string word)
    {
        var spellings = char.IsLower(word[0]) ? new[] { word, char.ToUpperInvariant(word[0]) + word[1..] } : [word];
        return spellings.SelectMany(s => new[] { $"**/*{s}*", $"**/*{s}*/**" }).ToArray();
    }
}

namespace Baton.Tests.Infrastructure;

/// <summary>
/// The payloads recorded by others (GitHub's documented examples, octokit/fixtures, real deliveries), read in place from
/// <c>../shared/fixtures</c> beside the repository. They are not part of the repository: a clone on its own has no
/// such folder, and then the conformance tests (<see cref="ConformanceFactAttribute"/>) are reported as skipped.
/// </summary>
public static class SharedFixtures
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "fixtures"));

    public static bool Exist => Directory.Exists(Root);

    public static string? SkipReason => Exist
        ? null
        : $"conformance: the recorded payloads at {Root} (../shared/fixtures beside the repository) are not there";

    /// <summary>The folder holding Baton.slnx, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Baton.slnx above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A test of Baton against payloads recorded by others: runs whenever <c>../shared/fixtures</c> exists (always
/// in CI), otherwise is reported as skipped with the reason.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute() => Skip = SharedFixtures.SkipReason;
}

/// <inheritdoc cref="ConformanceFactAttribute"/>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute() => Skip = SharedFixtures.SkipReason;
}

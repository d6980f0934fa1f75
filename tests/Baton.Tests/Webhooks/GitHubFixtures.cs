namespace Baton.Tests.Webhooks;

/// <summary>The shared recorded payloads, read in place at <c>../shared/fixtures/</c> beside the repository.</summary>
public static class GitHubFixtures
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "fixtures"));

    public static string WebhooksRoot => Path.Combine(Root, "github", "webhooks");

    public static string HmacVectors => Path.Combine(Root, "crypto", "github-webhook-hmac-sha256.json");

    public static string Payload(string gitHubEvent, string fileName) => Path.Combine(WebhooksRoot, gitHubEvent, fileName);

    /// <summary>Every payload file, as (event = its folder, path relative to the webhooks folder).</summary>
    public static IEnumerable<(string Event, string RelativePath)> AllPayloads() =>
        Directory.EnumerateFiles(WebhooksRoot, "*.json", SearchOption.AllDirectories)
            .Where(path => !Path.GetFileName(path).Contains("headers", StringComparison.OrdinalIgnoreCase))
            .Select(path => (Path.GetFileName(Path.GetDirectoryName(path)!), Path.GetRelativePath(WebhooksRoot, path)))
            .OrderBy(p => p.Item2, StringComparer.Ordinal);

    /// <summary>The folder holding Baton.slnx, found by walking up from the test binaries.</summary>
    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No Baton.slnx above {AppContext.BaseDirectory}.");
    }
}

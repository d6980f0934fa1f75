using Baton.Tests.Infrastructure;

namespace Baton.Tests.Webhooks;

/// <summary>The recorded webhook payloads, read in place at <c>../shared/fixtures/</c> beside the repository: only
/// conformance tests (<see cref="ConformanceFactAttribute"/>) read them.</summary>
public static class GitHubFixtures
{
    public static string Root => SharedFixtures.Root;

    public static string WebhooksRoot => Path.Combine(Root, "github", "webhooks");

    public static string HmacVectors => Path.Combine(Root, "crypto", "github-webhook-hmac-sha256.json");

    public static string Payload(string gitHubEvent, string fileName) => Path.Combine(WebhooksRoot, gitHubEvent, fileName);

    /// <summary>Every payload file, as (event = its folder, path relative to the webhooks folder); none without the folder.</summary>
    public static IEnumerable<(string Event, string RelativePath)> AllPayloads() =>
        !Directory.Exists(WebhooksRoot)
            ? []
            : Directory.EnumerateFiles(WebhooksRoot, "*.json", SearchOption.AllDirectories)
                .Where(path => !Path.GetFileName(path).Contains("headers", StringComparison.OrdinalIgnoreCase))
                .Select(path => (Path.GetFileName(Path.GetDirectoryName(path)!), Path.GetRelativePath(WebhooksRoot, path)))
                .OrderBy(p => p.Item2, StringComparer.Ordinal);
}

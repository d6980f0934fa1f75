using Baton.Activities.GitHub;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Agents;

/// <summary>Where a runner clones a repository from, and with which short-lived credential.</summary>
public interface IRepositoryAccess
{
    Task<RepositoryCheckout> ForJobAsync(string repository, CancellationToken cancellationToken);
}

/// <param name="CloneUrl">An https URL, or a local path (the demo's bare repositories).</param>
/// <param name="Credential">Sent to git as an HTTP header by the runner; null when the URL needs none.</param>
public sealed record RepositoryCheckout(string CloneUrl, string? Credential);

/// <summary>
/// GitHub repositories: the clone URL follows <c>GitHub__ApiUrl</c> (api.github.com → github.com; a GitHub Enterprise
/// Server's <c>https://host/api/v3</c> → <c>https://host/</c>), unless <c>Runner__CloneUrlTemplate</c> overrides it
/// (<c>{repository}</c> is replaced, e.g. <c>/srv/git/{repository}.git</c> for local mirrors). The credential is a
/// fresh installation token scoped to the one repository (<see cref="GitHubClient.CreateRepositoryCredentialAsync"/>),
/// and none for a local path.
/// </summary>
public sealed class GitHubRepositoryAccess(GitHubClient github, IOptions<GitHubOptions> gitHub, IOptions<RunnerHostOptions> runners)
    : IRepositoryAccess
{
    public async Task<RepositoryCheckout> ForJobAsync(string repository, CancellationToken cancellationToken)
    {
        if (runners.Value.CloneUrlTemplate is { Length: > 0 } template)
        {
            var url = template.Replace("{repository}", repository, StringComparison.Ordinal);
            var local = !url.Contains("://", StringComparison.Ordinal);
            return new RepositoryCheckout(url, local ? null : await github.CreateRepositoryCredentialAsync(repository, cancellationToken));
        }
        return new RepositoryCheckout(new Uri(WebRoot(gitHub.Value.ApiUrl), repository + ".git").ToString(),
            await github.CreateRepositoryCredentialAsync(repository, cancellationToken));
    }

    static Uri WebRoot(Uri apiUrl)
    {
        if (apiUrl.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase))
            return new UriBuilder(apiUrl) { Host = apiUrl.Host[4..], Path = "/" }.Uri;
        var path = apiUrl.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase)) path = path[..^"/api/v3".Length];
        return new UriBuilder(apiUrl) { Path = path + "/" }.Uri;
    }
}

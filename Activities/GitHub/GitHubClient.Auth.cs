using System.Net.Http.Headers;
using Baton.Failures;

namespace Baton.Activities.GitHub;

public sealed partial class GitHubClient
{
    async Task<AuthenticationHeaderValue> AuthorizeAsync(Call call, CancellationToken cancellationToken)
    {
        if (call.As == Identity.App) return Bearer(credentials.CreateAppJwt());
        if (settings.UsesToken) return Bearer(settings.Token!);
        if (!settings.UsesApp)
            throw new GitHubApiException(FailureClass.AuthFailed,
                "GitHub credentials are not configured: set GitHub__Token, or GitHub__AppId and GitHub__PrivateKey.");

        var installationId = settings.InstallationId ?? await FindInstallationAsync(call.Repository, cancellationToken);
        var token = await credentials.GetInstallationTokenAsync(
            installationId, token => MintInstallationTokenAsync(installationId, token), cancellationToken);
        return Bearer(token);
    }

    /// <summary>The App's installation on a repository (<c>GET /repos/{o}/{r}/installation</c>), remembered per repository.</summary>
    async Task<long> FindInstallationAsync(string? repository, CancellationToken cancellationToken)
    {
        if (repository is null)
            throw new GitHubApiException(FailureClass.AuthFailed,
                "This GitHub call names no repository, so the App installation cannot be found: set GitHub__InstallationId.");
        if (credentials.TryGetInstallation(repository, out var known)) return known;

        var answer = await SendAsync(new Call(HttpMethod.Get, $"repos/{repository}/installation", null, As: Identity.App), cancellationToken);
        var installation = Deserialize<GitHubInstallation>(answer);
        credentials.RememberInstallation(repository, installation.Id);
        return installation.Id;
    }

    async Task<InstallationToken> MintInstallationTokenAsync(long installationId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(
            new Call(HttpMethod.Post, $"app/installations/{installationId}/access_tokens", null, As: Identity.App),
            cancellationToken);
        var token = Deserialize<InstallationToken>(answer);
        GitHubLog.TokenMinted(logger, installationId, token.ExpiresAt);
        return token;
    }

    /// <summary>A revoked installation token is dropped, so the next call (an engine retry or a later step) mints a new one.</summary>
    void ForgetInstallationToken(string? repository)
    {
        if (settings.InstallationId is { } configured) credentials.Forget(configured);
        else if (repository is not null && credentials.TryGetInstallation(repository, out var found)) credentials.Forget(found);
    }

    static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>
    /// A credential for one agent job's git clone and push. With an App it is a fresh installation token restricted to
    /// this one repository with only the permissions an agent needs (contents and pull requests), never cached or
    /// shared with other calls; it expires on its own within the hour. With a personal access token there is nothing
    /// narrower to mint, so the PAT itself is returned (documented: prefer an App for agents).
    /// </summary>
    public async Task<string> CreateRepositoryCredentialAsync(string repository, CancellationToken cancellationToken)
    {
        if (settings.UsesToken) return settings.Token!;
        if (!settings.UsesApp)
            throw new GitHubApiException(FailureClass.AuthFailed,
                "GitHub credentials are not configured: set GitHub__Token, or GitHub__AppId and GitHub__PrivateKey.");
        var installationId = settings.InstallationId ?? await FindInstallationAsync(repository, cancellationToken);
        var scope = new
        {
            repositories = new[] { repository.Split('/')[^1] },
            permissions = new Dictionary<string, string> { ["contents"] = "write", ["pull_requests"] = "write" },
        };
        var answer = await SendAsync(
            new Call(HttpMethod.Post, $"app/installations/{installationId}/access_tokens", repository, scope, As: Identity.App),
            cancellationToken);
        var token = Deserialize<InstallationToken>(answer);
        GitHubLog.TokenMinted(logger, installationId, token.ExpiresAt);
        return token.Token;
    }
}

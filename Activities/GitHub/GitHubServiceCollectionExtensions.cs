using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Baton.Activities.GitHub;

public static class GitHubServiceCollectionExtensions
{
    /// <summary>The user agent GitHub requires on every request.</summary>
    public const string UserAgent = "Baton";

    /// <summary>GitHub's REST API version this client is written against.</summary>
    public const string ApiVersion = "2022-11-28";

    /// <summary>
    /// Registers <see cref="GitHubClient"/> (a typed HttpClient) bound to the <c>GitHub</c> section. Credentials are
    /// not required here: without them the client fails each call as <c>AuthFailed</c>, and the host reports the feature off.
    /// </summary>
    public static IServiceCollection AddGitHub(this IServiceCollection services)
    {
        services.AddOptions<GitHubOptions>()
            .BindConfiguration(GitHubOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GitHubCredentials>();
        services.TryAddSingleton<GitHubResponseCache>();
        services.TryAddSingleton<GitHubUsage>();
        services.AddHttpClient<GitHubClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<GitHubOptions>>().Value;
            // A trailing slash keeps a GitHub Enterprise prefix (/api/v3) when relative paths are resolved.
            var apiUrl = options.ApiUrl.ToString();
            http.BaseAddress = new Uri(apiUrl.EndsWith('/') ? apiUrl : apiUrl + "/");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
            http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            // Each attempt has its own timeout in the client's retry pipeline.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        return services;
    }
}

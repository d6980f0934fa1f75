using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Baton.Activities.Jira;

public static class JiraServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JiraClient"/> (a typed HttpClient) bound to the <c>Jira</c> section. Credentials are not
    /// required here: without them each call fails as <c>AuthFailed</c>, and the host reports the feature off.
    /// </summary>
    public static IServiceCollection AddJira(this IServiceCollection services)
    {
        services.AddOptions<JiraOptions>()
            .BindConfiguration(JiraOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<JiraClient>((http) =>
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd("Baton");
            // Each attempt has its own timeout in the client's retry pipeline.
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        return services;
    }
}

using Baton.Hosting;
using Baton.Webhooks.GitHub;

namespace Baton.Functions;

/// <summary>Maps GitHub webhook intake with its settings from the <c>GitHub</c> section, and reports whether it is on.</summary>
public static class GitHubWebhookSetup
{
    public const string FeatureName = "githubWebhooks";

    /// <exception cref="InvalidOperationException"><c>GitHub:MaxPayloadBytes</c> is not positive.</exception>
    public static IEndpointRouteBuilder MapGitHubWebhook(this WebApplication app)
    {
        var options = app.Configuration.GetSection(GitHubWebhookOptions.SectionName).Get<GitHubWebhookOptions>() ?? new GitHubWebhookOptions();
        if (options.MaxPayloadBytes <= 0)
            throw new InvalidOperationException($"GitHub:MaxPayloadBytes must be positive (it is {options.MaxPayloadBytes}).");

        var features = app.Services.GetRequiredService<HostFeatures>();
        var secrets = options.ConfiguredSecrets.Count;
        if (secrets == 0)
        {
            features.Disable(FeatureName, $"no webhook secret configured (GitHub__WebhookSecret), so {GitHubWebhookFunction.Route} answers 503");
            app.MapPost(GitHubWebhookFunction.Route, GitHubWebhookFunction.Disabled);
            return app;
        }

        features.Enable(FeatureName, $"{GitHubWebhookFunction.Route} accepts deliveries signed with {secrets} secret(s), up to {options.MaxPayloadBytes} bytes");
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var function = new GitHubWebhookFunction(options, loggers.CreateLogger<GitHubWebhookFunction>());
        app.MapPost(GitHubWebhookFunction.Route, function.ReceiveAsync);
        return app;
    }
}

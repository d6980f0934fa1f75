using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Functions.People;
using Baton.Hosting;
using Microsoft.Extensions.Options;

namespace Baton.Functions;

/// <summary>Maps Jira webhook intake with its settings from the <c>Jira</c> section, and reports whether Jira, its intake and
/// feature planning (Ollama) are on.</summary>
public static class JiraWebhookSetup
{
    public const string WebhookFeature = "jiraWebhooks";
    public const string ClientFeature = "jira";
    public const string PlanningFeature = "featurePlanning";

    public static IEndpointRouteBuilder MapJiraWebhook(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<JiraOptions>>().Value;
        var features = app.Services.GetRequiredService<HostFeatures>();
        if (options.HasCredentials)
            features.Enable(ClientFeature, $"Jira REST v3 at {options.BaseUrl?.GetLeftPart(UriPartial.Authority)}, {options.Projects.Count} project(s) configured");
        else
            features.Disable(ClientFeature, "no Jira site or credentials (Jira__BaseUrl, Jira__Email, Jira__ApiToken), so features cannot be read or updated");

        var ollama = app.Services.GetRequiredService<IOptions<OllamaOptions>>().Value;
        if (ollama.BaseUrl is null)
            features.Disable(PlanningFeature, "no model server configured (Ollama__BaseUrl), so ready Jira features fail at planning");
        else
            features.Enable(PlanningFeature, $"Jira features are planned by {ollama.Model} at {ollama.BaseUrl.GetLeftPart(UriPartial.Authority)}");

        var secrets = options.ConfiguredSecrets.Count;
        if (secrets == 0)
        {
            features.Disable(WebhookFeature, $"no webhook secret configured (Jira__WebhookSecret), so {JiraWebhookFunction.Route} answers 503");
            app.MapPost(JiraWebhookFunction.Route, JiraWebhookFunction.Disabled);
            return app;
        }
        features.Enable(WebhookFeature, $"{JiraWebhookFunction.Route} accepts deliveries proven with {secrets} secret(s) (X-Hub-Signature or {options.SecretHeader})");
        var function = new JiraWebhookFunction(options, app.Services.GetRequiredService<EscalationDesk>(), app.Services.GetRequiredService<TimeProvider>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<JiraWebhookFunction>());
        app.MapPost(JiraWebhookFunction.Route, function.ReceiveAsync);
        return app;
    }
}

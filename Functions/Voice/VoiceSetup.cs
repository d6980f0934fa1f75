using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Activities.Transcription;
using Baton.Activities.Voice;
using Baton.Durable.Http;
using Baton.Functions.Dashboard;
using Baton.Functions.People;
using Baton.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Voice;

/// <summary>Where uploads are kept: <c>Voice__UploadDirectory</c>, by default <c>.baton/voice</c> under the content root
/// (beside the embedded database, StorageSetup).</summary>
public sealed class VoiceFolder(IOptions<VoiceOptions> options, IHostEnvironment environment)
{
    public string Path { get; } = System.IO.Path.GetFullPath(
        string.IsNullOrWhiteSpace(options.Value.UploadDirectory)
            ? System.IO.Path.Combine(environment.ContentRootPath, StorageSetup.DataFolder, "voice")
            : System.IO.Path.Combine(environment.ContentRootPath, options.Value.UploadDirectory));
}

/// <summary>
/// Composes voice intake (ARCHITECTURE.md §2.5): <c>POST /api/voice</c>, its status, events and clarification, and the
/// recorder page <c>/voice</c>. Without a transcription provider (<c>Transcription__Provider</c>) the feature is off: the
/// API answers 503 and start-up says why. The page needs the dashboard's sign-in; API keys need <c>Voice__ApiKeys__N</c>.
/// The Voice and Transcription options are bound by <c>AddTranscription</c>, which Program composes too.
/// </summary>
public static class VoiceSetup
{
    public const string FeatureName = "voiceIntake";

    public static WebApplicationBuilder AddVoiceIntake(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EscalationDesk>();
        services.AddSingleton<VoiceFolder>();
        services.AddSingleton<VoiceCallers>();
        services.AddSingleton<AudioProbe>();
        services.AddSingleton<VoiceUploadFunction>();
        services.AddSingleton<VoiceProgressFunctions>();
        services.AddSingleton<VoiceClarifyFunction>();
        services.AddSingleton<VoiceUploadSweeper>();

        var transcription = builder.Configuration.GetSection(TranscriptionOptions.SectionName).Get<TranscriptionOptions>() ?? new TranscriptionOptions();
        var voice = builder.Configuration.GetSection(VoiceOptions.SectionName).Get<VoiceOptions>() ?? new VoiceOptions();
        var features = HostFeatures.In(services);
        if (string.IsNullOrWhiteSpace(transcription.Provider))
        {
            features.Disable(FeatureName, $"no transcription provider (Transcription__Provider), so {VoiceRoutes.Upload} answers 503");
            return builder;
        }
        features.Enable(FeatureName, $"{VoiceRoutes.Upload} transcribes with {transcription.Provider}; {voice.Keys.Count} API key(s), " +
                                     $"up to {voice.MaxUploadBytes / (1024 * 1024)} MiB and {voice.MaxDuration.TotalMinutes:0.#} min; recorder page at {VoiceRoutes.Page} for dashboard members" +
                                     MissingPartners(builder.Configuration));
        services.AddHostedService(provider => provider.GetRequiredService<VoiceUploadSweeper>());
        return builder;
    }

    /// <summary>What a request needs after transcription and is not set up (the model, Jira), said at start-up rather than
    /// discovered by the first speaker.</summary>
    static string MissingPartners(IConfiguration configuration)
    {
        var ollama = configuration.GetSection(OllamaOptions.SectionName).Get<OllamaOptions>() ?? new OllamaOptions();
        var jira = configuration.GetSection(JiraOptions.SectionName).Get<JiraOptions>() ?? new JiraOptions();
        var missing = new List<string>();
        if (ollama.BaseUrl is null) missing.Add("no model (Ollama__BaseUrl)");
        if (!jira.HasCredentials) missing.Add("no Jira site (Jira__BaseUrl, Jira__Email, Jira__ApiToken)");
        else if (jira.Projects.Count == 0) missing.Add("no Jira project (Jira__Projects__<KEY>__Repository)");
        return missing.Count == 0 ? "" : $"; but {string.Join(" and ", missing)}, so requests end failed";
    }

    public static WebApplication MapVoiceIntake(this WebApplication app)
    {
        var enabled = app.Services.GetRequiredService<HostFeatures>().All.FirstOrDefault(f => f.Name == FeatureName) is { Enabled: true };
        if (!enabled)
        {
            foreach (var route in new[] { VoiceRoutes.Upload, VoiceRoutes.ClarifyPattern })
                app.MapPost(route, Disabled);
            foreach (var route in new[] { VoiceRoutes.StatusPattern, VoiceRoutes.EventsPattern, VoiceRoutes.Page })
                app.MapGet(route, Disabled);
            return app;
        }
        var upload = app.Services.GetRequiredService<VoiceUploadFunction>();
        var progress = app.Services.GetRequiredService<VoiceProgressFunctions>();
        var clarify = app.Services.GetRequiredService<VoiceClarifyFunction>();
        app.MapPost(VoiceRoutes.Upload, upload.ReceiveAsync);
        app.MapGet(VoiceRoutes.StatusPattern, progress.StatusAsync);
        app.MapGet(VoiceRoutes.EventsPattern, progress.EventsAsync);
        app.MapPost(VoiceRoutes.ClarifyPattern, clarify.ClarifyAsync);
        if (app.Services.GetService<DashboardAccess>() is not null) VoicePage.Map(app);
        return app;
    }

    /// <summary>Without a provider nothing could be heard, so uploads are refused rather than stored to fail later.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "Voice intake is disabled",
        "No transcription provider is configured (Transcription__Provider), so recordings cannot be heard.").ToResult();
}

using Baton.Functions.People;
using Baton.Hosting;
using Baton.Webhooks.Discord;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Baton.Functions;

/// <summary>Discord interaction intake: its services, its route, and whether it is on (reported at start-up).</summary>
public static class DiscordInteractionsSetup
{
    public const string FeatureName = "discordInteractions";

    /// <summary>Registers what answering interactions needs, and <c>/baton</c>'s registration at start-up (which uses the
    /// outgoing <c>DiscordClient</c>, registered by <c>AddDiscord</c>). The allow-list is read here; a malformed entry turns the
    /// feature off (reported at start-up) rather than stopping the host.</summary>
    public static IServiceCollection AddDiscordInteractions(this IServiceCollection services)
    {
        // Validated when the route is mapped, not on start: a value out of range turns the feature off, visibly, rather
        // than stopping the host (ARCHITECTURE.md §3.3).
        services.AddOptions<DiscordInteractionOptions>().BindConfiguration(DiscordInteractionOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EscalationDesk>();
        services.TryAddSingleton(provider => DiscordApprovers.Parse(
            provider.GetRequiredService<IOptions<DiscordInteractionOptions>>().Value.Approvers));
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<DiscordInteractionOptions>>().Value);
        services.TryAddTransient<DiscordDecisions>();
        services.TryAddTransient<DiscordCommands>();
        services.AddHostedService<DiscordCommandRegistration>();
        return services;
    }

    public static IEndpointRouteBuilder MapDiscordInteractions(this WebApplication app)
    {
        var features = app.Services.GetRequiredService<HostFeatures>();
        DiscordInteractionOptions options;
        try
        {
            options = app.Services.GetRequiredService<DiscordInteractionOptions>();
        }
        catch (OptionsValidationException e)
        {
            return Disable(app, features, string.Join("; ", e.Failures));
        }
        if (string.IsNullOrWhiteSpace(options.PublicKey))
            return Disable(app, features, "no application public key configured (Discord__PublicKey)");
        if (DiscordSignature.ParsePublicKey(options.PublicKey.Trim()) is not { } key)
            return Disable(app, features, "Discord__PublicKey is not a valid Ed25519 public key (64 hex digits)");
        DiscordApprovers approvers;
        try
        {
            approvers = app.Services.GetRequiredService<DiscordApprovers>();
        }
        catch (FormatException e)
        {
            return Disable(app, features, e.Message);
        }

        var allowed = approvers.All.Count == 0 ? "nobody may act (no Discord__Approvers__N)" : $"{approvers.All.Count} approver entries";
        features.Enable(FeatureName, $"{DiscordInteractionsFunction.Route} verifies interactions with the application's public key; {allowed}");
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var function = new DiscordInteractionsFunction(options, key, app.Services.GetRequiredService<TimeProvider>(),
            loggers.CreateLogger<DiscordInteractionsFunction>());
        app.MapPost(DiscordInteractionsFunction.Route, function.ReceiveAsync);
        return app;
    }

    static WebApplication Disable(WebApplication app, HostFeatures features, string reason)
    {
        features.Disable(FeatureName, $"{reason}, so {DiscordInteractionsFunction.Route} answers 503");
        app.MapPost(DiscordInteractionsFunction.Route, DiscordInteractionsFunction.Disabled);
        return app;
    }
}

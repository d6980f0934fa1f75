using Baton.Activities.Notifications;
using Baton.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Discord;

public static class DiscordServiceCollectionExtensions
{
    public const string FeatureName = "discordNotifications";

    /// <summary>Discord asks bots to identify themselves as <c>DiscordBot ($url, $version)</c>.</summary>
    public const string UserAgent = "DiscordBot (https://github.com/baton-ci/baton, 1.0)";

    /// <summary>
    /// Registers <see cref="DiscordClient"/> (a typed HttpClient) bound to the <c>Discord</c> section, and the notification
    /// channel: Discord's when a webhook URL, or a bot token with a channel, is configured; else the log, with one start-up
    /// line saying which keys turn Discord on.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscordOptions>()
            .BindConfiguration(DiscordOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Delivery.MaxRetryInterval >= o.Delivery.FirstRetryInterval && o.Delivery.GiveUpAfter >= o.Delivery.FirstRetryInterval,
                "Discord:Delivery:MaxRetryInterval and Discord:Delivery:GiveUpAfter must be at least Discord:Delivery:FirstRetryInterval.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRateLimits>();
        services.AddHttpClient<DiscordClient>((provider, http) =>
        {
            http.BaseAddress = DiscordClient.WithSlash(provider.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiUrl);
            http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            // Each request has its own timeout (DiscordOptions.RequestTimeout) inside the client.
            http.Timeout = Timeout.InfiniteTimeSpan;
        })
        // The factory's request logs print the full URL, and a webhook's or interaction's token is part of it: the
        // client logs each call itself, with tokens replaced (DiscordLog). Traces are redacted by RedactApiKeyProcessor.
        .RemoveAllLoggers();

        services.TryAddSingleton<LogNotificationChannel>();
        var configured = configuration.GetSection(DiscordOptions.SectionName).Get<DiscordOptions>() ?? new DiscordOptions();
        var features = HostFeatures.In(services);
        if (configured.SendsNotifications)
        {
            services.AddSingleton<INotificationChannel, DiscordNotificationChannel>();
            features.Enable(FeatureName, DiscordWebhook.TryParse(configured.WebhookUrl, out var webhook)
                ? $"notifications are posted through {webhook}"
                : $"notifications are posted by the bot to channel {configured.ChannelId}");
            return services;
        }
        services.AddSingleton<INotificationChannel>(provider => provider.GetRequiredService<LogNotificationChannel>());
        features.Disable(FeatureName, string.IsNullOrWhiteSpace(configured.WebhookUrl)
            ? "no Discord__WebhookUrl, or Discord__BotToken with Discord__ChannelId: notifications go to the log only"
            : "Discord__WebhookUrl is not a webhook URL (…/api/webhooks/{id}/{token}): notifications go to the log only");
        return services;
    }
}

using Baton.Activities.Discord;
using Baton.Functions.People;
using Baton.Hosting;
using Baton.Webhooks.Discord;

namespace Baton.Functions;

/// <summary>
/// Registers <c>/baton</c> once at start-up by overwriting the application's global commands with
/// <see cref="DiscordCommands.Definitions"/>: a bulk overwrite with the same definitions changes nothing, so every start
/// (and every replica) may do it. A failure is one log line; the host and interactions carry on (the command may then be
/// missing or stale in Discord until the next start).
/// </summary>
sealed class DiscordCommandRegistration(IServiceProvider services, HostFeatures features, ILogger<DiscordCommandRegistration> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Intake off (no key, options out of range): nothing could answer the command, so it is not offered.
        if (!features.All.Any(f => f is { Name: DiscordInteractionsSetup.FeatureName, Enabled: true })) return;
        var options = services.GetRequiredService<DiscordInteractionOptions>();
        if (string.IsNullOrWhiteSpace(options.ApplicationId)) return;
        try
        {
            await using var scope = services.CreateAsyncScope();
            var discord = scope.ServiceProvider.GetRequiredService<DiscordClient>();
            await discord.BulkOverwriteGlobalCommandsAsync(options.ApplicationId, DiscordCommands.Definitions(), stoppingToken);
            DiscordInteractionLog.CommandsRegistered(logger, options.ApplicationId, $"/{DiscordCommands.Name} {DiscordCommands.Status}|{DiscordCommands.Queue}");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped during start-up: the next start registers.
        }
        catch (Exception e)
        {
            // Whatever went wrong (no bot token, Discord down, a rejected definition), the host must not stop for it.
            DiscordInteractionLog.CommandsNotRegistered(logger, options.ApplicationId, e.GetType().Name + ": " + Baton.Durable.Http.UntrustedText.ForLog(e.Message));
        }
    }
}

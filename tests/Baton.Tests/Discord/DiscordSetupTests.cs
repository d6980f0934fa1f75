using Baton.Activities.Discord;
using Baton.Activities.Notifications;
using Baton.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace Baton.Tests.Discord;

/// <summary><c>AddDiscord</c>: which notification channel is chosen, the start-up line that says why, and option checks.</summary>
public sealed class DiscordSetupTests
{
    const string WebhookToken = "webhook-token-that-must-not-show";

    static ServiceProvider Compose(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(new Mock<DurableTaskClient>("test").Object);
        services.AddDiscord(configuration);
        return services.BuildServiceProvider();
    }

    static FeatureState Feature(ServiceProvider provider) =>
        Assert.Single(provider.GetRequiredService<HostFeatures>().All, f => f.Name == DiscordServiceCollectionExtensions.FeatureName);

    [Fact]
    public void AddDiscord_NothingConfigured_KeepsTheLogChannelAndSaysWhichKeysTurnItOn()
    {
        using var provider = Compose([]);

        Assert.IsType<LogNotificationChannel>(provider.GetRequiredService<INotificationChannel>());
        var feature = Feature(provider);
        Assert.False(feature.Enabled);
        Assert.Contains("Discord__WebhookUrl", feature.Detail, StringComparison.Ordinal);
        Assert.Contains("Discord__BotToken", feature.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDiscord_Webhook_ChoosesDiscordAndNamesTheWebhookByIdOnly()
    {
        using var provider = Compose(new() { ["Discord:WebhookUrl"] = $"https://discord.com/api/webhooks/223704706495545344/{WebhookToken}" });

        Assert.IsType<DiscordNotificationChannel>(provider.GetRequiredService<INotificationChannel>());
        var feature = Feature(provider);
        Assert.True(feature.Enabled);
        Assert.Contains("223704706495545344", feature.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookToken, feature.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDiscord_BotWithoutChannel_StaysOff()
    {
        using var provider = Compose(new() { ["Discord:BotToken"] = "bot-token" });

        Assert.IsType<LogNotificationChannel>(provider.GetRequiredService<INotificationChannel>());
        Assert.False(Feature(provider).Enabled);
    }

    [Fact]
    public void AddDiscord_BotWithChannel_ChoosesDiscord()
    {
        using var provider = Compose(new() { ["Discord:BotToken"] = "bot-token", ["Discord:ChannelId"] = "1100000000000000001" });

        Assert.IsType<DiscordNotificationChannel>(provider.GetRequiredService<INotificationChannel>());
        Assert.Contains("1100000000000000001", Feature(provider).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDiscord_WebhookUrlThatIsNotOne_StaysOffWithoutEchoingIt()
    {
        using var provider = Compose(new() { ["Discord:WebhookUrl"] = $"https://example.com/hooks/{WebhookToken}" });

        var feature = Feature(provider);
        Assert.False(feature.Enabled);
        Assert.Contains("not a webhook URL", feature.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookToken, feature.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DiscordOptions_MaxRetryIntervalBelowTheFirst_IsRefused()
    {
        using var provider = Compose(new()
        {
            ["Discord:Delivery:FirstRetryInterval"] = "00:01:00",
            ["Discord:Delivery:MaxRetryInterval"] = "00:00:10",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DiscordOptions>>().Value);

        Assert.Contains("MaxRetryInterval", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BadMention_IsRefusedBeforeAnythingIsQueued()
    {
        var client = new Mock<DurableTaskClient>("test");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:WebhookUrl"] = "https://discord.com/api/webhooks/1/t",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(client.Object);
        services.AddDiscord(configuration);
        await using var provider = services.BuildServiceProvider();
        var channel = provider.GetRequiredService<INotificationChannel>();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            channel.SendAsync(new Notification("question", "Q", "?") { Mentions = ["@everyone"] }, "key", CancellationToken.None));

        Assert.Empty(client.Invocations);
    }
}

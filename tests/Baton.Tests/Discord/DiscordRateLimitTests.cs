using System.Text.Json.Nodes;
using Baton.Activities.Discord;
using Baton.Activities.Notifications;
using Baton.Failures;

namespace Baton.Tests.Discord;

/// <summary>How <see cref="DiscordClient"/> keeps to Discord's rate limits: 429s become RateLimited with their
/// <c>retry_after</c> (for the durable retry), and exhausted buckets are waited for, not hit.</summary>
public sealed class DiscordRateLimitTests
{
    static JsonObject Message() => DiscordMessages.Render(new Notification("ci-failed", "CI failed", "2 tests failed"));

    [Fact]
    public async Task ExecuteWebhook_429WithRetryAfter_FailsAsRateLimitedWithThatWait()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Faults.RateLimitNext(1, TimeSpan.FromSeconds(2.5));

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.RateLimited, failure.FailureClass);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2.5), failure.RetryAfter);
        Assert.Empty(harness.Emulator.Messages);
        harness.AssertNoSecretIn(failure.ToString());
    }

    [Fact]
    public async Task ExecuteWebhook_After429_DoesNotSendAgainBeforeRetryAfter()
    {
        await using var harness = await DiscordHarness.StartAsync(new Dictionary<string, string?> { ["Discord:MaxBucketWait"] = "00:00:00.100" });
        harness.Emulator.Faults.RateLimitNext(1, TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<DiscordApiException>(() => harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        var second = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.RateLimited, second.FailureClass);
        Assert.Null(second.StatusCode);
        Assert.InRange(second.RetryAfter!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Single(harness.Emulator.Requests);
    }

    [Fact]
    public async Task CreateMessage_Global429_HoldsBackEveryRoute()
    {
        await using var harness = await DiscordHarness.StartAsync(new Dictionary<string, string?> { ["Discord:MaxBucketWait"] = "00:00:00.100" });
        harness.Emulator.Faults.RateLimitNext(1, TimeSpan.FromSeconds(20), global: true);
        var global = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), "n1", CancellationToken.None));

        var otherRoute = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Contains("global", global.Message, StringComparison.Ordinal);
        Assert.Equal(FailureClass.RateLimited, otherRoute.FailureClass);
        Assert.Single(harness.Emulator.Requests);
    }

    [Fact]
    public async Task ExecuteWebhook_BucketRefillsSoon_WaitsForItInsteadOfCollecting429s()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Buckets.Limit = 2;
        harness.Emulator.Buckets.Window = TimeSpan.FromMilliseconds(300);

        for (var i = 0; i < 5; i++)
            await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None);

        Assert.Equal(5, harness.Emulator.Messages.Count);
        Assert.DoesNotContain(harness.Emulator.Requests, r => r.Status == 429);
        Assert.Contains(harness.Logs.Entries, e => e.EventId.Id == 5001);
    }

    [Fact]
    public async Task ExecuteWebhook_BucketRefillsLate_FailsAsRateLimitedWithoutARequest()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Buckets.Limit = 1;
        harness.Emulator.Buckets.Window = TimeSpan.FromMinutes(1);
        await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None);

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.RateLimited, failure.FailureClass);
        Assert.InRange(failure.RetryAfter!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Single(harness.Emulator.Requests);
    }

    [Fact]
    public async Task CreateMessage_BucketOfOneChannel_DoesNotHoldBackAWebhook()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Buckets.Limit = 1;
        harness.Emulator.Buckets.Window = TimeSpan.FromMinutes(1);
        await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), "n1", CancellationToken.None);

        await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None);

        Assert.Equal(2, harness.Emulator.Messages.Count);
    }

    public static TheoryData<string, DiscordResponseFacts, FailureClass?, double?> Responses => new()
    {
        { "200 is no failure", new(200), null, null },
        { "429 body retry_after wins, with its fraction", new(429, RetryAfterBody: 1.234, RetryAfterHeader: "2"), FailureClass.RateLimited, 1.234 },
        { "429 header only", new(429, RetryAfterHeader: "3"), FailureClass.RateLimited, 3 },
        { "429 with neither waits the default", new(429), FailureClass.RateLimited, 5 },
        { "401 bad token", new(401), FailureClass.AuthFailed, null },
        { "403 missing access", new(403), FailureClass.AuthFailed, null },
        { "400 invalid form body", new(400), FailureClass.Permanent, null },
        { "404 unknown message", new(404), FailureClass.Permanent, null },
        { "408 request timeout", new(408), FailureClass.Transient, null },
        { "500", new(500), FailureClass.Transient, null },
        { "503 outage", new(503), FailureClass.Transient, null },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void Classify_Response_GivesItsClassAndWait(string name, DiscordResponseFacts response, FailureClass? expected, double? retryAfterSeconds)
    {
        var failure = DiscordFailures.Classify(response);

        Assert.True(expected == failure?.Class, name);
        Assert.Equal(retryAfterSeconds, failure?.RetryAfter?.TotalSeconds);
    }
}

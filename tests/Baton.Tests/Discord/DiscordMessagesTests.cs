using System.Text.Json.Nodes;
using Baton.Activities.Discord;
using Baton.Activities.Notifications;

namespace Baton.Tests.Discord;

/// <summary>How a <see cref="Notification"/> becomes a Discord message (<see cref="DiscordMessages.Render"/>).</summary>
public sealed class DiscordMessagesTests
{
    static Notification Gate() => new("gate-waiting", "Gate waiting on acme/widgets#13", "Touches `payments/`: a person must approve.",
        "https://github.com/acme/widgets/pull/13")
    {
        Links = [new("Issue", "https://github.com/acme/widgets/issues/12"), new("Pull request", "https://github.com/acme/widgets/pull/13"),
            new("Dashboard", "https://baton.example/escalations/abc")],
        Buttons = [new("Approve", "baton:approve:abc", "success"), new("Reject", "baton:reject:abc", "danger")],
        Mentions = ["role:111111111111111111", "user:222222222222222222", "role:111111111111111111"],
    };

    [Fact]
    public void Render_Gate_HasEmbedWithLinksColourAndFooter()
    {
        var embed = DiscordMessages.Render(Gate())["embeds"]![0]!.AsObject();

        Assert.Equal("Gate waiting on acme/widgets#13", embed["title"]!.GetValue<string>());
        Assert.Equal("https://github.com/acme/widgets/pull/13", embed["url"]!.GetValue<string>());
        Assert.Equal(DiscordMessages.ColourOf("gate-waiting"), embed["color"]!.GetValue<int>());
        Assert.NotEqual(DiscordMessages.ColourOf("pr-ready"), DiscordMessages.ColourOf("ci-failed"));
        Assert.Equal(["Issue", "Pull request", "Dashboard"], embed["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("[Dashboard](https://baton.example/escalations/abc)", embed["fields"]![2]!["value"]!.GetValue<string>());
        Assert.Equal("Baton · gate-waiting", embed["footer"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Render_Mentions_PingsExactlyThoseAndNothingParsedFromText()
    {
        var message = DiscordMessages.Render(Gate() with { Detail = "@everyone look" });

        Assert.Equal("<@&111111111111111111> <@222222222222222222>", message["content"]!.GetValue<string>());
        var allowed = message["allowed_mentions"]!;
        Assert.Empty(allowed["parse"]!.AsArray());
        Assert.Equal(["111111111111111111"], allowed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["222222222222222222"], allowed["users"]!.AsArray().Select(u => u!.GetValue<string>()));
    }

    [Fact]
    public void Render_Buttons_BecomeActionRowsOfAtMostFive()
    {
        var buttons = Enumerable.Range(1, 7).Select(i => new NotificationButton($"B{i}", $"baton:retry:k{i}", "primary")).ToList();

        var rows = DiscordMessages.Render(Gate() with { Buttons = buttons })["components"]!.AsArray();

        Assert.Equal([5, 2], rows.Select(r => r!["components"]!.AsArray().Count));
        Assert.All(rows, r => Assert.Equal(1, r!["type"]!.GetValue<int>()));
        var first = rows[0]!["components"]![0]!;
        Assert.Equal((2, 1, "baton:retry:k1"), (first["type"]!.GetValue<int>(), first["style"]!.GetValue<int>(), first["custom_id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("primary", 1)]
    [InlineData("secondary", 2)]
    [InlineData("success", 3)]
    [InlineData("danger", 4)]
    public void Render_ButtonStyle_MapsToDiscordsNumber(string style, int expected)
    {
        var rows = DiscordMessages.Render(Gate() with { Buttons = [new("Go", "baton:answer:k", style)] })["components"]!;

        Assert.Equal(expected, rows[0]!["components"]![0]!["style"]!.GetValue<int>());
    }

    [Fact]
    public void Render_NoButtons_SendsAnEmptyComponentListSoAnEditRemovesOldOnes()
    {
        var message = DiscordMessages.Render(new Notification("escalation-resolved", "Approved", "by octocat"));

        Assert.Empty(message["components"]!.AsArray());
        Assert.Equal("", message["content"]!.GetValue<string>());
    }

    [Fact]
    public void Render_LongTexts_AreCutToDiscordsLimits()
    {
        var long5000 = string.Concat(Enumerable.Repeat("🙂x", 2500));

        var message = DiscordMessages.Render(new Notification("question", long5000, long5000 + long5000)
        {
            Links = Enumerable.Range(0, 40).Select(i => new NotificationLink(new string('L', 300), $"https://example.com/{i}")).ToList(),
            Buttons = [new(new string('b', 100), "baton:answer:k", "primary")],
        });

        var embed = message["embeds"]![0]!;
        var title = embed["title"]!.GetValue<string>();
        var description = embed["description"]!.GetValue<string>();
        Assert.Equal(DiscordMessages.Limits.Title, title.Length);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(title[^2]));
        Assert.True(description.Length <= DiscordMessages.Limits.Description);
        var fields = embed["fields"]!.AsArray();
        Assert.InRange(fields.Count, 1, DiscordMessages.Limits.Fields);
        var total = title.Length + description.Length + embed["footer"]!["text"]!.GetValue<string>().Length
            + fields.Sum(f => f!["name"]!.GetValue<string>().Length + f["value"]!.GetValue<string>().Length);
        Assert.True(total <= DiscordMessages.Limits.EmbedTotal, $"embed is {total} characters");
        Assert.Equal(DiscordMessages.Limits.ButtonLabel, message["components"]![0]!["components"]![0]!["label"]!.GetValue<string>().Length);
    }

    [Fact]
    public void Render_LinkThatIsNotAWebUrl_IsLeftOut()
    {
        var embed = DiscordMessages.Render(new Notification("pr-ready", "Ready", "ok", "javascript:alert(1)")
        {
            Links = [new("Bad", "file:///etc/passwd"), new("Good", "https://github.com/acme/widgets/pull/1")],
        })["embeds"]![0]!;

        Assert.Null(embed["url"]);
        Assert.Equal("Good", Assert.Single(embed["fields"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("everyone")]
    [InlineData("role:admins")]
    [InlineData("channel:123")]
    public void Render_BadMention_IsRefusedClearly(string mention)
    {
        var failure = Assert.Throws<ArgumentException>(() => DiscordMessages.Render(Gate() with { Mentions = [mention] }));

        Assert.Contains(mention, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BadButton_IsRefusedClearly()
    {
        Assert.Throws<ArgumentException>(() => DiscordMessages.Render(Gate() with { Buttons = [new("Go", "baton:go:k", "link")] }));
        Assert.Throws<ArgumentException>(() => DiscordMessages.Render(Gate() with { Buttons = [new("Go", new string('x', 101), "primary")] }));
        Assert.Throws<ArgumentException>(() => DiscordMessages.Render(Gate() with
        {
            Buttons = Enumerable.Range(0, 26).Select(i => new NotificationButton("b", $"baton:go:{i}", "primary")).ToList(),
        }));
    }

    [Fact]
    public void Keys_SameIdempotencyKey_GiveTheSameInstanceAndAShortNonce()
    {
        var key = "issue:acme/widgets#12:pr-ready:Pull request ready";

        Assert.Equal(DiscordMessageKeys.InstanceIdFor(key), DiscordMessageKeys.InstanceIdFor(key));
        Assert.NotEqual(DiscordMessageKeys.InstanceIdFor(key), DiscordMessageKeys.InstanceIdFor(key + "!"));
        Assert.StartsWith(DiscordMessageKeys.InstanceIdPrefix, DiscordMessageKeys.InstanceIdFor(key), StringComparison.Ordinal);
        Assert.Equal(25, DiscordMessageKeys.NonceFor(key).Length);
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/223704706495545344/3d89bb7572e0fb30d81283", true)]
    [InlineData("https://discord.com/api/v10/webhooks/223704706495545344/tok?wait=true", true)]
    [InlineData("https://discord.com/api/webhooks/abc/tok", false)]
    [InlineData("https://discord.com/api/webhooks/223704706495545344", false)]
    [InlineData("not a url", false)]
    public void WebhookUrl_Parse_AcceptsOnlyWebhookUrls(string url, bool expected)
    {
        Assert.Equal(expected, DiscordWebhook.TryParse(url, out var webhook));
        if (expected) Assert.DoesNotContain(webhook!.Token, webhook.ToString(), StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using Baton.Webhooks.Discord;

namespace Baton.Tests.Discord;

public sealed class InteractionParserTests
{
    static DiscordInteraction Parse(string json) => DiscordInteractionParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_GuildButtonClick_ReadsMemberRolesAndNick()
    {
        var interaction = Parse("""
            {"id":"5","type":3,"data":{"custom_id":"baton:approve:abc","component_type":2},
             "member":{"nick":"Ada L.","roles":["7","8"],"user":{"id":"42","username":"ada","global_name":"Ada"}}}
            """);

        var click = Assert.IsType<DiscordInteraction.Component>(interaction);
        Assert.Equal("baton:approve:abc", click.CustomId);
        Assert.Equal("42", click.Actor.UserId);
        Assert.Equal(["7", "8"], click.Actor.RoleIds);
        Assert.Equal("Ada L.", click.Actor.DisplayName);
    }

    [Theory]
    [InlineData("""{"id":"5","type":3,"data":{"custom_id":"x"},"user":{"id":"42","username":"ada","global_name":"Ada"}}""", "Ada")]
    [InlineData("""{"id":"5","type":3,"data":{"custom_id":"x"},"user":{"id":"42","username":"ada"}}""", "ada")]
    [InlineData("""{"id":"5","type":3,"data":{"custom_id":"x"},"user":{"id":"42"}}""", "42")]
    public void Parse_DirectMessageClick_NamesThePersonByTheBestNameGiven(string json, string name)
    {
        var click = Assert.IsType<DiscordInteraction.Component>(Parse(json));

        Assert.Equal(name, click.Actor.DisplayName);
        Assert.Empty(click.Actor.RoleIds);
    }

    [Theory]
    [InlineData("""[{"type":1,"components":[{"type":4,"custom_id":"text","value":"use main"}]}]""")]
    [InlineData("""[{"type":18,"component":{"type":4,"custom_id":"text","value":"use main"}}]""")]
    public void Parse_ModalSubmit_ReadsTheTextWhereverItIsNested(string components)
    {
        var submit = Assert.IsType<DiscordInteraction.ModalSubmit>(Parse(
            $$$"""{"id":"5","type":5,"data":{"custom_id":"baton:answer:k","components":{{{components}}}},"user":{"id":"42"}}"""));

        Assert.Equal("use main", submit.Text);
    }

    [Fact]
    public void Parse_SlashCommand_ReadsTheSubcommand()
    {
        var command = Assert.IsType<DiscordInteraction.Command>(Parse(
            """{"id":"5","type":2,"data":{"name":"baton","type":1,"options":[{"name":"queue","type":1}]},"user":{"id":"42"}}"""));

        Assert.Equal(("baton", "queue"), (command.Name, command.Subcommand));
    }

    [Theory]
    [InlineData("""{"id":"5","type":4,"data":{"name":"baton"},"user":{"id":"42"}}""", 4)]
    [InlineData("""{"id":"5","type":99}""", 99)]
    public void Parse_TypeBatonOffersNothingFor_IsUnsupported(string json, int type) =>
        Assert.Equal(type, Assert.IsType<DiscordInteraction.Unsupported>(Parse(json)).Type);

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"type":1}""")]
    [InlineData("""{"id":"5","type":"1"}""")]
    [InlineData("""{"id":"5","type":3,"user":{"id":"42"}}""")]
    [InlineData("""{"id":"5","type":3,"data":{"component_type":2},"user":{"id":"42"}}""")]
    [InlineData("""{"id":"5","type":3,"data":{"custom_id":"x"}}""")]
    [InlineData("""{"id":"5","type":3,"data":{"custom_id":"x"},"member":{"roles":[]}}""")]
    [InlineData("""{"id":"5","type":2,"data":{"options":[]},"user":{"id":"42"}}""")]
    [InlineData("""{"id":"5","type":5,"data":{"custom_id":"x","components":5},"user":{"id":"42"}}""")]
    public void Parse_Malformed_ThrowsJsonException(string json) => Assert.ThrowsAny<JsonException>(() => Parse(json));

    [Fact]
    public void Parse_DeeplyNested_ThrowsJsonException() =>
        Assert.ThrowsAny<JsonException>(() => Parse("""{"id":"5","type":1,"x":""" + new string('[', 200) + new string(']', 200) + "}"));
}

/// <summary>The parser against interactions recorded from Discord's documentation, read in place.</summary>
public sealed class InteractionParserConformanceTests
{
    static DiscordInteraction Parse(string name) =>
        DiscordInteractionParser.Parse(File.ReadAllBytes(Path.Combine(Baton.Tests.Infrastructure.SharedFixtures.Root, "discord", "interactions", name)));

    [Baton.Tests.Infrastructure.ConformanceFact]
    public void Parse_RecordedPing_IsPing() => Assert.IsType<DiscordInteraction.Ping>(Parse("ping.minimal.json"));

    [Baton.Tests.Infrastructure.ConformanceFact]
    public void Parse_RecordedSlashCommand_ReadsCommandMemberAndRoles()
    {
        var command = Assert.IsType<DiscordInteraction.Command>(Parse("application_command.slash.example-interaction.json"));

        Assert.Equal("cardsearch", command.Name);
        Assert.Null(command.Subcommand);
        Assert.Equal("53908232506183680", command.Actor.UserId);
        Assert.Equal(["539082325061836999"], command.Actor.RoleIds);
        Assert.Equal("Mason", command.Actor.DisplayName);
    }

    [Baton.Tests.Infrastructure.ConformanceFact]
    public void Parse_EveryRecordedInteraction_ParsesOrIsRefusedAsMalformed()
    {
        var files = Directory.GetFiles(Path.Combine(Baton.Tests.Infrastructure.SharedFixtures.Root, "discord", "interactions"), "*.json")
            .Where(f => !Path.GetFileName(f).StartsWith("command-definition", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            // The minimal button example names no user: intake answers it 400, never 5xx. Anything but JsonException would be a 5xx.
            var e = Record.Exception(() => DiscordInteractionParser.Parse(File.ReadAllBytes(file)));
            Assert.True(e is null or JsonException, $"{Path.GetFileName(file)}: {e?.GetType().Name}");
        }
    }
}

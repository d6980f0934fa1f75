using System.Net;
using System.Text;
using Baton.Demo.DiscordEmulator;
using Baton.Orchestrations.Escalations;
using Baton.Webhooks.Discord;
using Microsoft.DurableTask.Client;

namespace Baton.Tests.Discord;

/// <summary>Buttons and modals on escalation messages, end to end over loopback with real signatures.</summary>
public sealed class InteractionDecisionTests(InteractionServerFixture fixture) : IClassFixture<InteractionServerFixture>
{
    InteractionSender Sender => fixture.Sender;
    static readonly DiscordPerson Ada = InteractionServerFixture.Ada;
    static readonly DiscordPerson Grace = InteractionServerFixture.Grace;

    async Task<EscalationOutcome> OutcomeAsync(string escalation) =>
        (await fixture.WaitForAsync(escalation, s => s is { IsOpen: false, Outcome: not null }, "resolved")).Outcome!;

    [Fact]
    public async Task Ping_Signed_AnswersPong()
    {
        using var response = await Sender.PingAsync();

        var body = await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.Pong);
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Click_Approve_ResolvesAndUpdatesTheMessageWithoutButtons()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve, EscalationActions.Stop);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), Ada);

        var body = await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage);
        var content = body.GetProperty("data").GetProperty("content").GetString()!;
        Assert.StartsWith("**Approve** by Ada at ", content, StringComparison.Ordinal);
        Assert.Empty(body.GetProperty("data").GetProperty("components").EnumerateArray());
        var outcome = await OutcomeAsync(escalation);
        Assert.Equal((EscalationActions.Approve, "Ada", "discord", "ada-lovelace"), (outcome.Action, outcome.By, outcome.Via, outcome.GitHubLogin));
    }

    [Fact]
    public async Task Click_MemberOfAllowedRole_Resolves()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Stop);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), InteractionServerFixture.RoleMember);

        await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage);
        Assert.Equal(InteractionServerFixture.RoleMember.Name, (await OutcomeAsync(escalation)).By);
    }

    [Fact]
    public async Task Click_InDirectMessageByAllowedUser_Resolves()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Stop);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), Grace with { InGuild = false });

        await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage);
        Assert.Equal("Grace", (await OutcomeAsync(escalation)).By);
    }

    [Fact]
    public async Task Click_NotAllowListed_IsRefusedEphemerallyAndTheEscalationStillWaits()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve);

        using var click = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), InteractionServerFixture.Stranger);
        using var submit = await Sender.SubmitModalAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), "sneaky", InteractionServerFixture.Stranger);

        Assert.Contains("not on Baton's approver list", await InteractionAssert.IsEphemeralAsync(click), StringComparison.Ordinal);
        Assert.Contains("not on Baton's approver list", await InteractionAssert.IsEphemeralAsync(submit), StringComparison.Ordinal);
        Assert.True((await fixture.Desk.GetAsync(escalation, CancellationToken.None))!.IsOpen);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada);
    }

    [Fact]
    public async Task Click_RoleIdSentAsUserId_IsRefused()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation),
            new DiscordPerson(InteractionServerFixture.ReleaseRole, "Impostor", []));

        await InteractionAssert.IsEphemeralAsync(response);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada);
    }

    [Fact]
    public async Task Click_TwoPeopleAtOnce_ResolvesOnceAndTellsTheOtherWhoWon()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve, EscalationActions.Stop);
        var approve = EscalationIds.ComponentId(EscalationActions.Approve, escalation);
        var stop = EscalationIds.ComponentId(EscalationActions.Stop, escalation);

        var responses = await Task.WhenAll(Sender.ClickAsync(approve, Ada), Sender.ClickAsync(stop, Grace));

        var outcome = await OutcomeAsync(escalation);
        var (winner, loser) = outcome.By == "Ada" ? (responses[0], responses[1]) : (responses[1], responses[0]);
        await InteractionAssert.IsCallbackAsync(winner, DiscordCallbackType.UpdateMessage);
        var told = await InteractionAssert.IsEphemeralAsync(loser);
        Assert.StartsWith($"Already resolved by {outcome.By} at ", told, StringComparison.Ordinal);
        Assert.Single(await fixture.AnswersReceivedAsync(escalation), a => a.By == outcome.By);
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task Click_SameSignedRequestReplayed_ChangesNothing()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve, EscalationActions.Stop);
        var body = Encoding.UTF8.GetBytes(Sender.ButtonClick(EscalationIds.ComponentId(EscalationActions.Approve, escalation), Ada));
        var timestamp = InteractionSender.Timestamp(DateTimeOffset.UtcNow);

        using var first = await Sender.SendAsync(body, timestamp);
        using var replay = await Sender.SendAsync(body, timestamp);

        await InteractionAssert.IsCallbackAsync(first, DiscordCallbackType.UpdateMessage);
        Assert.StartsWith("Already resolved by Ada", await InteractionAssert.IsEphemeralAsync(replay), StringComparison.Ordinal);
        Assert.Single(await fixture.AnswersReceivedAsync(escalation));
    }

    [Fact]
    public async Task Click_AnswerButton_OpensAModalAndChangesNothing()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer, EscalationActions.Stop);
        var customId = EscalationIds.ComponentId(EscalationActions.Answer, escalation);

        using var response = await Sender.ClickAsync(customId, Ada);

        var modal = (await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.Modal)).GetProperty("data");
        Assert.Equal(customId, modal.GetProperty("custom_id").GetString());
        Assert.True(modal.GetProperty("title").GetString()!.Length <= 45);
        var input = Assert.Single(Assert.Single(modal.GetProperty("components").EnumerateArray()).GetProperty("components").EnumerateArray());
        Assert.Equal((DiscordComponentType.TextInput, 2, true),
            (input.GetProperty("type").GetInt32(), input.GetProperty("style").GetInt32(), input.GetProperty("required").GetBoolean()));
        Assert.True((await fixture.Desk.GetAsync(escalation, CancellationToken.None))!.IsOpen);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada, EscalationActions.Answer);
    }

    [Fact]
    public async Task SubmitModal_Answer_ResolvesWithTheTextAndShowsIt()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer, EscalationActions.Stop);

        using var response = await Sender.SubmitModalAsync(EscalationIds.ComponentId(EscalationActions.Answer, escalation), "  Use main, not develop.  ", Grace);

        var content = (await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage)).GetProperty("data").GetProperty("content").GetString()!;
        Assert.Contains("**Answer** by Grace", content, StringComparison.Ordinal);
        Assert.Contains("> Use main, not develop.", content, StringComparison.Ordinal);
        var outcome = await OutcomeAsync(escalation);
        Assert.Equal((EscalationActions.Answer, "Use main, not develop."), (outcome.Action, outcome.Text));
    }

    [Fact]
    public async Task SubmitModal_EmptyAnswer_IsRefusedAndChangesNothing()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer);

        using var response = await Sender.SubmitModalAsync(EscalationIds.ComponentId(EscalationActions.Answer, escalation), "   ", Ada);

        Assert.Contains("needs some text", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada, EscalationActions.Answer);
    }

    [Fact]
    public async Task SubmitModal_RejectWithoutReason_Resolves()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve, EscalationActions.Reject);

        using var response = await Sender.SubmitModalAsync(EscalationIds.ComponentId(EscalationActions.Reject, escalation), "", Ada);

        await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage);
        var outcome = await OutcomeAsync(escalation);
        Assert.Equal((EscalationActions.Reject, (string?)null), (outcome.Action, outcome.Text));
    }

    [Fact]
    public async Task Click_ActionNotOffered_IsExplainedAndChangesNothing()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), Ada);

        Assert.Contains("does not offer stop", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada, EscalationActions.Answer);
    }

    [Fact]
    public async Task Click_NoSuchEscalation_IsExplained()
    {
        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, "0123456789abcdef"), Ada);

        Assert.Contains("no such question", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
        Assert.Null(await fixture.Server.Client.GetInstanceAsync(EscalationIds.InstanceIdFor("0123456789abcdef")));
    }

    [Theory]
    [InlineData("click_me")]
    [InlineData("baton:approve")]
    [InlineData("baton:approve:bad key!")]
    public async Task Click_ForeignButton_IsExplained(string customId)
    {
        using var response = await Sender.ClickAsync(customId, Ada);

        Assert.Contains("not one of Baton's", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Click_AnsweredWithinDiscordsDeadline()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Stop);
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), Ada);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // A bound, not a measurement (that is bench/'s job): the settle wait caps the answer well inside 3 seconds.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"{started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Click_AnswerButtonOnResolvedQuestion_SaysWhoResolvedItInsteadOfAModal()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer, EscalationActions.Stop);
        using var stop = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), Grace);
        await InteractionAssert.IsCallbackAsync(stop, DiscordCallbackType.UpdateMessage);

        using var response = await Sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Answer, escalation), Ada);

        Assert.StartsWith("Already resolved by Grace at ", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.Json;
using Baton.Demo.DiscordEmulator;
using Baton.Functions;
using Baton.Functions.People;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Discord;

/// <summary>
/// Stands in for the escalation orchestration, per its contract (Escalations.cs): shows itself waiting, takes the first
/// answer whose action it offers, shows and returns the outcome. Later answers find it finished and change nothing.
/// </summary>
public sealed class AnswerOnceEscalationOrchestration : TaskOrchestrator<EscalationRequest, EscalationOutcome>
{
    public override async Task<EscalationOutcome> RunAsync(TaskOrchestrationContext context, EscalationRequest request)
    {
        var openedAt = context.CurrentUtcDateTime;
        context.SetCustomStatus(new EscalationStatus("waiting", request, openedAt));
        while (true)
        {
            var answer = await context.WaitForExternalEvent<EscalationAnswer>(EscalationEvents.Answer);
            if (!request.Actions.Contains(answer.Action)) continue;
            var outcome = new EscalationOutcome(answer.Action, answer.Text, answer.By, answer.Via, answer.At)
            {
                GitHubLogin = answer.GitHubLogin,
                HeadSha = answer.HeadSha,
            };
            context.SetCustomStatus(new EscalationStatus("resolved", request, openedAt) { Outcome = outcome });
            return outcome;
        }
    }
}

/// <summary>Stands in for the conductor (instance <c>conductor</c>): shows its input as the custom status, until told to stop.</summary>
public sealed class ShowConductorStatusOrchestration : TaskOrchestrator<ConductorStatus, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, ConductorStatus status)
    {
        context.SetCustomStatus(status);
        return await context.WaitForExternalEvent<string>("Stop");
    }
}

/// <summary>
/// A host with Discord intake on, configured with the public key of <see cref="Sender"/>'s generated key pair and an
/// allow-list of one user (<see cref="Ada"/>, mapped to a GitHub login) and one role (<see cref="ReleaseRole"/>).
/// </summary>
public sealed class InteractionServerFixture : ServerFixture
{
    public const string ReleaseRole = "700000000000000007";
    public const long MaxPayloadBytes = 8 * 1024;

    public static readonly DiscordPerson Ada = new("100000000000000001", "Ada", []);
    public static readonly DiscordPerson Grace = new("100000000000000002", "Grace", []);
    public static readonly DiscordPerson RoleMember = new("100000000000000003", "Rolf", ["1", ReleaseRole]);
    public static readonly DiscordPerson Stranger = new("100000000000000009", "Mallory", ["1"]);

    readonly DiscordApplicationKey key = DiscordApplicationKey.Generate();

    public InteractionSender Sender { get; private set; } = null!;

    protected override BatonServerOptions Options => new()
    {
        Settings = new Dictionary<string, string>
        {
            ["Discord:PublicKey"] = key.PublicKeyHex,
            ["Discord:Approvers:0"] = $"user:{Ada.UserId}=ada-lovelace",
            ["Discord:Approvers:1"] = $"role:{ReleaseRole}",
            ["Discord:Approvers:2"] = $"{Grace.UserId}",
            ["Discord:MaxPayloadBytes"] = MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        ConfigureServices = services => services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName,
            registry => registry.AddOrchestrator<AnswerOnceEscalationOrchestration>().AddOrchestrator<ShowConductorStatusOrchestration>()),
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sender = new InteractionSender(Server.Http, new Uri(Server.BaseAddress, DiscordInteractionsFunction.Route), key);
    }

    public EscalationDesk Desk => Server.Services.GetRequiredService<EscalationDesk>();

    /// <summary>Starts an escalation offering <paramref name="actions"/> and waits until it shows itself waiting.</summary>
    public async Task<string> OpenEscalationAsync(params string[] actions)
    {
        var escalation = Guid.NewGuid().ToString("N")[..16];
        var request = new EscalationRequest("question", "octo/repo#12", $"Which base branch? {escalation}", "The agent asks.", actions,
            new IssueRef("octo", "repo", 12), null, null, []);
        await Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AnswerOnceEscalationOrchestration), request,
            new StartOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(escalation) });
        await WaitForAsync(escalation, s => s is { IsOpen: true }, "open");
        return escalation;
    }

    /// <summary>Waits (bounded) until the escalation's state satisfies <paramref name="condition"/>.</summary>
    public async Task<EscalationStatus> WaitForAsync(string escalation, Func<EscalationStatus?, bool> condition, string what) =>
        (await Eventually.ReachesAsync(() => Desk.GetAsync(escalation, CancellationToken.None), condition,
            status => $"Escalation {escalation} never became {what}; last state {status?.State}."))!;

    /// <summary>The answers the escalation took in, from its history (raised events it processed).</summary>
    public async Task<IReadOnlyList<EscalationAnswer>> AnswersReceivedAsync(string escalation)
    {
        using var response = await Server.Http.GetAsync(Server.Api($"/instances/{Uri.EscapeDataString(EscalationIds.InstanceIdFor(escalation))}?showHistory=true&showHistoryOutput=true"));
        // 202 while running, 200 once finished (Durable Functions' status semantics).
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, response.StatusCode.ToString());
        using var body = await BatonServer.ReadJsonAsync(response);
        return body.RootElement.GetProperty("historyEvents").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "EventRaised" && e.GetProperty("name").GetString() == EscalationEvents.Answer)
            .Select(e => e.GetProperty("data") is { ValueKind: JsonValueKind.String } data
                ? JsonSerializer.Deserialize<EscalationAnswer>(data.GetString()!, JsonSerializerOptions.Web)!
                : e.GetProperty("data").Deserialize<EscalationAnswer>(JsonSerializerOptions.Web)!)
            .ToList();
    }

    /// <summary>
    /// Proves that requests already answered raised nothing: a valid approve from <paramref name="by"/> is sent last, and
    /// it must be the one and only answer the escalation took in (events are taken in the order raised).
    /// </summary>
    public async Task AssertOnlyTheNextAnswerCountsAsync(string escalation, DiscordPerson by, string action = EscalationActions.Approve)
    {
        var customId = EscalationIds.ComponentId(action, escalation);
        using var response = EscalationActions.TakesText(action)
            ? await Sender.SubmitModalAsync(customId, "the answer that counts", by)
            : await Sender.ClickAsync(customId, by);
        var answer = await InteractionAssert.IsCallbackAsync(response, Baton.Webhooks.Discord.DiscordCallbackType.UpdateMessage);
        Assert.Contains($"by {by.Name}", answer.GetProperty("data").GetProperty("content").GetString(), StringComparison.Ordinal);
        var received = Assert.Single(await AnswersReceivedAsync(escalation));
        Assert.Equal(by.Name, received.By);
    }
}

public static class InteractionAssert
{
    /// <summary>Asserts a 200 interaction answer of <paramref name="type"/>; returns its body.</summary>
    public static async Task<JsonElement> IsCallbackAsync(HttpResponseMessage response, Baton.Webhooks.Discord.DiscordCallbackType type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)type, root.GetProperty("type").GetInt32());
        return root;
    }

    /// <summary>Asserts an answer only the person who acted sees (type 4, flags 64); returns its text.</summary>
    public static async Task<string> IsEphemeralAsync(HttpResponseMessage response)
    {
        var body = await IsCallbackAsync(response, Baton.Webhooks.Discord.DiscordCallbackType.ChannelMessageWithSource);
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        return body.GetProperty("data").GetProperty("content").GetString()!;
    }
}

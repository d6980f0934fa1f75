using System.Globalization;
using System.Text.Json.Nodes;
using Baton.Demo.DiscordEmulator;
using Baton.Demo.Scenarios;
using Baton.Functions.People;
using Baton.Orchestrations.Escalations;
using Baton.Webhooks.Discord;
using Microsoft.DurableTask.Client;

namespace Baton.Demo;

/// <summary>
/// The scenario's people on Discord: when Baton asks (an escalation), they find its message in the Discord emulator's
/// channel and press its button — Answer opens Baton's form, which they submit with their text; Approve decides at once.
/// Each press is a signed interaction sent to Baton's <c>/api/discord/interactions</c>, exactly as Discord sends it.
/// </summary>
sealed class DemoPeople
{
    readonly DiscordEmulator.DiscordEmulator discord;
    readonly Dictionary<string, DiscordPerson> people;
    InteractionSender? sender;
    EscalationDesk? desk;

    /// <param name="logins">Everyone in the scenario who may decide: each gets a Discord account mapped to their login.</param>
    public DemoPeople(DiscordEmulator.DiscordEmulator discord, IEnumerable<string> logins)
    {
        this.discord = discord;
        people = logins.Select((login, i) => new DiscordPerson((900000000000000001L + i).ToString(CultureInfo.InvariantCulture), login, []))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The Ed25519 key Baton verifies the people's clicks with (<c>Discord__PublicKey</c>).</summary>
    public DiscordApplicationKey Key { get; } = DiscordApplicationKey.Generate();

    /// <summary>Host settings: the public key and the approvers, each Discord account mapped to its GitHub login.</summary>
    public IEnumerable<string> HostArguments() =>
        [$"--Discord:PublicKey={Key.PublicKeyHex}", .. people.Values.Select((p, i) => $"--Discord:Approvers:{i}=user:{p.UserId}={p.Name}")];

    /// <summary>Once Baton listens: where the clicks go, and how the people see what Baton asks (its escalations; in
    /// Discord they would read the channel).</summary>
    public void Connect(HttpClient http, Uri baton, DurableTaskClient client)
    {
        sender = new InteractionSender(http, new Uri(baton, "/api/discord/interactions"), Key);
        desk = new EscalationDesk(client);
    }

    public string Where => "on Discord";

    /// <summary>The open escalations of one kind about an issue of <paramref name="repository"/>, by issue number.</summary>
    public async Task<IReadOnlyDictionary<int, string>> OpenAsync(string kind, string repository)
    {
        var open = await (desk ?? throw new InvalidOperationException("Connect first.")).ListOpenAsync(CancellationToken.None);
        return open.Where(e => e.Status.Request.Kind == kind && e.Status.Request.Issue is { } issue && issue.Repository == repository)
            .GroupBy(e => e.Status.Request.Issue!.Number)
            .ToDictionary(g => g.Key, g => g.First().Key);
    }

    /// <summary>Presses Answer on the question's message and submits the form; null while the message is not in the
    /// channel yet (Discord delivery is asynchronous).</summary>
    public async Task<string?> AnswerAsync(string key, ScenarioAnswer answer)
    {
        var button = EscalationIds.ComponentId(EscalationActions.Answer, key);
        if (!Posted(button)) return null;
        var who = Person(answer.By);
        var form = await SendAsync(s => s.ClickAsync(button, who));
        if (form["type"]?.GetValue<int>() != (int)DiscordCallbackType.Modal) return Describe(form);
        return Describe(await SendAsync(s => s.SubmitModalAsync(button, answer.Text, who)));
    }

    /// <summary>Presses Approve on the gate's message (Baton reads the pull request's head at the click); null while the
    /// message is not in the channel yet.</summary>
    public async Task<string?> ApproveAsync(string key, string by)
    {
        var button = EscalationIds.ComponentId(EscalationActions.Approve, key);
        if (!Posted(button)) return null;
        return Describe(await SendAsync(s => s.ClickAsync(button, Person(by))));
    }

    DiscordPerson Person(string login) => people.TryGetValue(login, out var person)
        ? person
        : throw new InvalidOperationException($"{login} has no Discord account in the demo.");

    /// <summary>Whether a message in the channel carries a button with <paramref name="customId"/>.</summary>
    bool Posted(string customId) => discord.Messages.Any(m => m.Body["components"]?.ToJsonString().Contains($"\"{customId}\"", StringComparison.Ordinal) == true);

    async Task<JsonObject> SendAsync(Func<InteractionSender, Task<HttpResponseMessage>> send)
    {
        var connected = sender ?? throw new InvalidOperationException("Connect first.");
        using var response = await send(connected);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>What the person sees: the updated message, or the note only they see.</summary>
    static string Describe(JsonObject answer) =>
        (answer["type"]?.GetValue<int>() == (int)DiscordCallbackType.UpdateMessage ? "the message now reads: " : "Baton tells them: ") +
        (answer["data"]?["content"]?.GetValue<string>() ?? "(nothing)");
}

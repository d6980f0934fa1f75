extern alias BatonHost;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Demo.DiscordEmulator;
using Baton.Functions;
using Baton.Functions.People;
using Baton.Hosting;
using Baton.Orchestrations.Escalations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using static Baton.Bench.BenchStats;

namespace Baton.Bench;

/// <summary>
/// <c>bench interactions [--count N] [--mixed M] [--escalations E] [--concurrency C]</c>: the whole host (SQLite) with
/// Discord intake on, driven by <see cref="InteractionSender"/> over loopback.
/// <list type="number">
/// <item>Latency: one at a time, an approver clicks Approve on a waiting <see cref="EscalationOrchestration"/>; measured from
/// sending the signed request until the orchestration has taken the answer in (its status shows the outcome), and until
/// the click is answered.</item>
/// <item>Mixed: M requests over E escalations, C at a time: valid clicks by approvers (racing each other), and invalid ones —
/// signed by another key, stale, replays of a valid request, malformed bodies, and valid clicks by someone not allowed.
/// Invalid requests act as "Forger", a name no valid request uses, so any state they changed would show in a history.</item>
/// </list>
/// </summary>
static class InteractionBenchmark
{
    static readonly DiscordPerson[] Approvers = [new("200000000000000001", "Ada", []), new("200000000000000002", "Grace", ["300000000000000001"])];
    static readonly DiscordPerson Forger = new("200000000000000001", "Forger", []);
    static readonly DiscordPerson Stranger = new("200000000000000009", "Forger", []);

    public static async Task<string> RunAsync(IConfiguration options)
    {
        var count = Int(options, "count", 200);
        var mixed = Int(options, "mixed", 10_000);
        var escalations = Int(options, "escalations", 200);
        var concurrency = Int(options, "concurrency", 16);
        var key = DiscordApplicationKey.Generate();
        var database = Path.Combine(Directory.CreateTempSubdirectory("baton-interactions-").FullName, "baton.db");
        var app = BatonHost::Program.BuildApp(new HostSettings([
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            $"--Durable:ConnectionString={database}", "--Durable:Retention:Enabled=false",
            $"--Discord:PublicKey={key.PublicKeyHex}", $"--Discord:Approvers:0=user:{Approvers[0].UserId}", "--Discord:Approvers:1=role:300000000000000001"]));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
            var sender = new InteractionSender(http, new Uri(http.BaseAddress, DiscordInteractionsFunction.Route), key);
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            var desk = app.Services.GetRequiredService<EscalationDesk>();
            Console.WriteLine($"# interactions: {Environment.ProcessorCount} cores, {count} latency samples, {mixed} mixed requests over {escalations} escalations");

            var (resumed, answered) = await LatencyAsync(sender, client, desk, count);
            var line = $"interactions count={count} resumed_p50_ms={F(Percentile(resumed, 50))} resumed_p99_ms={F(Percentile(resumed, 99))} " +
                       $"answered_p50_ms={F(Percentile(answered, 50))} answered_p99_ms={F(Percentile(answered, 99))}";
            if (mixed > 0) line += " " + await MixedAsync(sender, key, client, desk, http, mixed, escalations, concurrency);
            return line;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    static async Task<(List<double> Resumed, List<double> Answered)> LatencyAsync(InteractionSender sender, DurableTaskClient client, EscalationDesk desk, int count)
    {
        var resumed = new List<double>();
        var answered = new List<double>();
        for (var i = 0; i < count + 5; i++)
        {
            var escalation = await OpenAsync(client, desk, "lat");
            var clock = Stopwatch.StartNew();
            var click = sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), Approvers[0]);
            while (await desk.GetAsync(escalation, CancellationToken.None) is not { Outcome: not null })
                await Task.Delay(1);
            var resumedMs = clock.Elapsed.TotalMilliseconds;
            using var response = await click;
            var answeredMs = clock.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Click answered {(int)response.StatusCode}.");
            if (i < 5) continue;   // warm-up
            resumed.Add(resumedMs);
            answered.Add(answeredMs);
        }
        return (resumed, answered);
    }

    static async Task<string> MixedAsync(InteractionSender sender, DiscordApplicationKey key, DurableTaskClient client, EscalationDesk desk,
        HttpClient http, int total, int escalationCount, int concurrency)
    {
        var keys = new List<string>();
        for (var i = 0; i < escalationCount; i++) keys.Add(await OpenAsync(client, desk, "mix"));
        var other = DiscordApplicationKey.Generate();
        var random = new Random(12);
        var sentValid = new ConcurrentBag<(string Escalation, byte[] Body, string Timestamp)>();
        var statuses = new ConcurrentDictionary<int, int>();
        var applied = new ConcurrentDictionary<string, int>();
        var kinds = new ConcurrentDictionary<string, int>();
        var fiveHundreds = 0;
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            string escalation;
            string kind;
            byte[] body;
            string? timestamp = InteractionSender.Timestamp(DateTimeOffset.UtcNow);
            string? signature;
            lock (random)
            {
                escalation = keys[random.Next(keys.Count)];
                kind = (random.Next(10), sentValid.IsEmpty) switch
                {
                    (< 3, _) => "valid",
                    (3, _) => "mis-signed",
                    (4, _) => "stale",
                    (5, false) => "replayed",
                    (5, true) or (6, _) => "malformed",
                    (7, _) => "not-allowed",
                    _ => "unsigned",
                };
            }
            var action = i % 2 == 0 ? EscalationActions.Approve : EscalationActions.Stop;
            var customId = EscalationIds.ComponentId(action, escalation);
            switch (kind)
            {
                case "valid":
                    body = Encoding.UTF8.GetBytes(sender.ButtonClick(customId, Approvers[i % Approvers.Length]));
                    signature = sender.Sign(body, timestamp);
                    sentValid.Add((escalation, body, timestamp));
                    break;
                case "replayed":
                    // The escalation is the replayed request's own.
                    (escalation, body, timestamp) = sentValid.First();
                    signature = sender.Sign(body, timestamp);
                    break;
                case "mis-signed":
                    body = Encoding.UTF8.GetBytes(sender.ButtonClick(customId, Forger));
                    signature = other.Sign(body, timestamp);
                    break;
                case "stale":
                    body = Encoding.UTF8.GetBytes(sender.ButtonClick(customId, Forger));
                    timestamp = InteractionSender.Timestamp(DateTimeOffset.UtcNow.AddMinutes(-10));
                    signature = sender.Sign(body, timestamp);
                    break;
                case "malformed":
                    body = Encoding.UTF8.GetBytes((i % 4) switch
                    {
                        0 => "{\"id\":\"1\",\"type\":3",
                        1 => "{\"id\":\"1\",\"type\":3,\"data\":{\"custom_id\":\"" + customId + "\"}}",
                        2 => "[]",
                        _ => "{\"id\":\"1\",\"type\":42}",
                    });
                    signature = sender.Sign(body, timestamp);
                    break;
                case "not-allowed":
                    body = Encoding.UTF8.GetBytes(sender.ButtonClick(customId, Stranger));
                    signature = sender.Sign(body, timestamp);
                    break;
                default:
                    body = Encoding.UTF8.GetBytes(sender.ButtonClick(customId, Forger));
                    signature = null;
                    break;
            }
            using var response = await sender.SendSignedAsync(body, timestamp, signature);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
            if (status >= 500) Interlocked.Increment(ref fiveHundreds);
            if (status == 200 && await response.Content.ReadFromJsonAsync<JsonElement>() is { } answer
                && answer.GetProperty("type").GetInt32() == 7)
                applied.AddOrUpdate(escalation, 1, (_, n) => n + 1);
        });
        var seconds = clock.Elapsed.TotalSeconds;

        // Every escalation: settled at most once, by the one request told "applied"; no answer from an invalid request taken in.
        var resolved = 0;
        var doubleApplied = 0;
        var invalidTakenIn = 0;
        var appliedWithoutOutcome = 0;
        foreach (var escalation in keys)
        {
            var status = await desk.GetAsync(escalation, CancellationToken.None);
            var appliedCount = applied.GetValueOrDefault(escalation);
            if (status?.Outcome is { } outcome && outcome.Via == "discord") resolved++;
            if (appliedCount > 1) doubleApplied++;
            if (appliedCount == 1 && status?.Outcome is null) appliedWithoutOutcome++;
            invalidTakenIn += (await AnswersTakenInAsync(http, escalation)).Count(by => by == Forger.Name);
        }
        var byStatus = string.Join(",", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"));
        var byKind = string.Join(",", kinds.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"));
        return $"mixed={total} mixed_seconds={F(seconds)} responses_5xx={fiveHundreds} invalid_state_changes={invalidTakenIn} " +
               $"escalations={keys.Count} resolved={resolved} applied_once={applied.Count(a => a.Value == 1)} applied_twice_or_more={doubleApplied} " +
               $"applied_without_outcome={appliedWithoutOutcome} statuses={byStatus} kinds={byKind}";
    }

    /// <summary>Who each answer the escalation's history took in came from.</summary>
    static async Task<IReadOnlyList<string>> AnswersTakenInAsync(HttpClient http, string escalation)
    {
        var id = Uri.EscapeDataString(EscalationIds.InstanceIdFor(escalation));
        using var document = JsonDocument.Parse(await http.GetStringAsync($"/runtime/webhooks/durabletask/instances/{id}?showHistory=true&showHistoryOutput=true"));
        return document.RootElement.GetProperty("historyEvents").EnumerateArray()
            .Where(e => e.GetProperty("eventType").GetString() == "EventRaised" && e.GetProperty("name").GetString() == EscalationEvents.Answer)
            .Select(e => e.GetProperty("data") is { ValueKind: JsonValueKind.String } data
                ? JsonSerializer.Deserialize<EscalationAnswer>(data.GetString()!, JsonSerializerOptions.Web)!.By
                : e.GetProperty("data").Deserialize<EscalationAnswer>(JsonSerializerOptions.Web)!.By)
            .ToList();
    }

    static async Task<string> OpenAsync(DurableTaskClient client, EscalationDesk desk, string prefix)
    {
        var escalation = prefix + Guid.NewGuid().ToString("N")[..20];
        var request = new EscalationRequest("question", "bench/repo#1", "Go ahead?", "A bench question.",
            [EscalationActions.Approve, EscalationActions.Stop], null, null, null, []);
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(EscalationOrchestration), request,
            new StartOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(escalation) });
        // Waiting on its reminder timer: the opening message has been sent and the answer wait is armed.
        while (await desk.GetAsync(escalation, CancellationToken.None) is not { IsOpen: true, NextReminderAt: not null })
            await Task.Delay(2);
        return escalation;
    }

    static int Int(IConfiguration options, string name, int fallback) =>
        int.Parse(options[name] ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

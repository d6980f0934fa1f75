using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Webhooks.Discord;
using Microsoft.DurableTask.Client;

namespace Baton.Functions.People;

/// <summary>
/// <c>/baton status</c> (running work, the queue's head, decisions waiting for people) and <c>/baton queue</c>, read
/// through the Durable Task client only and answered ephemerally. Approvers only: the answers name repositories and
/// issues, and the command is visible in every server the application is in.
/// </summary>
public sealed class DiscordCommands(DurableTaskClient client, EscalationDesk desk, DiscordApprovers approvers, ILogger<DiscordCommands> logger)
{
    public const string Name = "baton";
    public const string Status = "status";
    public const string Queue = "queue";

    const int MaxLines = 15;

    /// <summary>The command definitions registered at start-up (a bulk overwrite: registering them again changes nothing).</summary>
    public static JsonArray Definitions() =>
    [
        new JsonObject
        {
            ["name"] = Name,
            ["type"] = 1,
            ["description"] = "Baton's delivery pipeline",
            ["options"] = new JsonArray
            {
                new JsonObject { ["name"] = Status, ["type"] = 1, ["description"] = "Running work, the head of the queue and decisions waiting for people" },
                new JsonObject { ["name"] = Queue, ["type"] = 1, ["description"] = "The issues waiting in the queue, and why" },
            },
        },
    ];

    public async Task<DiscordInteractionResponse> AnswerAsync(DiscordInteraction.Command command, CancellationToken cancellationToken)
    {
        DiscordInteractionLog.Command(logger, command.Name, command.Subcommand, command.Actor.UserId);
        if (approvers.Find(command.Actor.UserId, command.Actor.RoleIds) is null)
            return DiscordInteractionResponse.EphemeralMessage("You are not on Baton's approver list, so Baton shows you nothing.");
        var text = (command.Name, command.Subcommand) switch
        {
            (Name, Status) => await StatusAsync(cancellationToken),
            (Name, Queue) => await QueueAsync(cancellationToken),
            _ => $"Unknown command; try /{Name} {Status} or /{Name} {Queue}.",
        };
        return DiscordInteractionResponse.EphemeralMessage(text);
    }

    async Task<string> StatusAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var running = await RunningIssuesAsync(cancellationToken);
        text.AppendLine(CultureInfo.InvariantCulture, $"**Running** ({running.Count})");
        AppendLines(text, running.Select(r => $"• {r.Issue} — {r.Stage}" + (r.PullRequest is { } pr ? $" (PR #{pr})" : "")), "nothing running");

        var conductor = await ConductorAsync(cancellationToken);
        text.AppendLine("**Queue head**");
        AppendLines(text, conductor is null ? [] : conductor.Waiting.Take(3).Select(Describe), conductor is null ? "the conductor has not reported yet" : "the queue is empty");

        var open = await desk.ListOpenAsync(cancellationToken);
        text.AppendLine(CultureInfo.InvariantCulture, $"**Waiting for people** ({open.Count})");
        AppendLines(text, open.Select(e => $"• {e.Status.Request.Subject}: {e.Status.Request.Title} ({e.Status.Request.Kind}, since {e.Status.OpenedAt:yyyy-MM-dd HH:mm} UTC)"),
            "no open questions");
        return text.ToString();
    }

    async Task<string> QueueAsync(CancellationToken cancellationToken)
    {
        if (await ConductorAsync(cancellationToken) is not { } conductor) return "The conductor has not reported a round yet.";
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"**Queue** after round {conductor.Round}: {conductor.Running} running, {conductor.Waiting.Count} waiting");
        AppendLines(text, conductor.Waiting.Select(Describe), "nothing waiting");
        if (conductor.Cycles.Count > 0) text.AppendLine(CultureInfo.InvariantCulture, $"{conductor.Cycles.Count} dependency cycle(s) block issues.");
        return text.ToString();
    }

    static string Describe(WaitingIssue waiting) => waiting.Reason switch
    {
        WaitReason.BlockedByOpenIssue => $"• {waiting.Issue} — blocked by {string.Join(", ", waiting.OpenBlockers)}",
        _ => $"• {waiting.Issue} — {waiting.Reason}",
    };

    async Task<ConductorStatus?> ConductorAsync(CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true, cancellationToken);
        return instance?.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<ConductorStatus>();
    }

    async Task<IReadOnlyList<IssueStatus>> RunningIssuesAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = ConductorEvents.IssueInstanceIdPrefix,
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended],
            FetchInputsAndOutputs = true,
            PageSize = 100,
        };
        var running = new List<IssueStatus>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            if (!instance.InstanceId.AsSpan(ConductorEvents.IssueInstanceIdPrefix.Length).Contains(':'))
                running.Add(instance.SerializedCustomStatus is null
                    ? new IssueStatus("starting", instance.InstanceId[ConductorEvents.IssueInstanceIdPrefix.Length..], "", "")
                    : instance.ReadCustomStatusAs<IssueStatus>()!);
        return running;
    }

    /// <summary>At most <see cref="MaxLines"/> lines, then how many more; the message stays under Discord's 2,000 characters.</summary>
    static void AppendLines(StringBuilder text, IEnumerable<string> lines, string none)
    {
        var all = lines.ToList();
        if (all.Count == 0) text.AppendLine(CultureInfo.InvariantCulture, $"_{none}_");
        foreach (var line in all.Take(MaxLines)) text.AppendLine(line.Length > 110 ? line[..109] + "…" : line);
        if (all.Count > MaxLines) text.AppendLine(CultureInfo.InvariantCulture, $"… and {all.Count - MaxLines} more");
    }
}

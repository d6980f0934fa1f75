using Baton.Orchestrations.Escalations;
using Microsoft.DurableTask.Client;

namespace Baton.Functions.People;

/// <summary>How an attempt to answer an escalation went.</summary>
public enum DeskVerdict
{
    /// <summary>This answer settled the escalation.</summary>
    Applied,

    /// <summary>Someone (or the timeout) settled it first; <see cref="DeskResult.Outcome"/> says who and when. Nothing changed.</summary>
    AlreadyResolved,

    /// <summary>No such escalation. Nothing changed.</summary>
    NotFound,

    /// <summary>The escalation does not offer that action. Nothing changed.</summary>
    NotOffered,

    /// <summary>The answer was delivered but the escalation had not settled within the wait: it will apply it, unless
    /// an answer raised just before wins.</summary>
    Pending,
}

public sealed record DeskResult(DeskVerdict Verdict, EscalationStatus? Status = null)
{
    public EscalationOutcome? Outcome => Status?.Outcome;
}

/// <summary>
/// The one way entry points (Discord interactions, the dashboard) read and answer escalations, over the Durable Task client
/// only. Who may answer is the entry point's check; the desk makes an answer exactly-once: it raises the answer on the
/// escalation's instance, whose first valid answer wins, then waits briefly for the escalation to settle so it can tell the
/// person whether theirs was the one.
/// </summary>
public sealed class EscalationDesk(DurableTaskClient client)
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(40);

    /// <summary>An escalation's current state, or null when there is none under <paramref name="key"/>.</summary>
    public async Task<EscalationStatus?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true, cancellationToken);
        return instance is null ? null : StatusOf(instance);
    }

    /// <summary>Every escalation still waiting for a person, oldest first.</summary>
    public async Task<IReadOnlyList<(string Key, EscalationStatus Status)>> ListOpenAsync(CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = EscalationIds.InstanceIdPrefix,
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
            FetchInputsAndOutputs = true,
            PageSize = 100,
        };
        var open = new List<(string, EscalationStatus)>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            if (StatusOf(instance) is { IsOpen: true } status && EscalationIds.KeyOf(instance.InstanceId) is { } key)
                open.Add((key, status));
        return open.OrderBy(e => e.Item2.OpenedAt).ToList();
    }

    /// <summary>Delivers <paramref name="answer"/> and waits up to <paramref name="settle"/> for the escalation to settle.</summary>
    public async Task<DeskResult> AnswerAsync(string key, EscalationAnswer answer, TimeSpan settle, CancellationToken cancellationToken)
    {
        var instanceId = EscalationIds.InstanceIdFor(key);
        var status = await GetAsync(key, cancellationToken);
        if (status is null) return new(DeskVerdict.NotFound);
        if (!status.IsOpen) return new(DeskVerdict.AlreadyResolved, status);
        if (!status.Request.Actions.Contains(answer.Action, StringComparer.Ordinal)) return new(DeskVerdict.NotOffered, status);

        await client.RaiseEventAsync(instanceId, EscalationEvents.Answer, answer, cancellationToken);
        var deadline = DateTime.UtcNow + settle;
        while (true)
        {
            status = await GetAsync(key, cancellationToken);
            if (status is { IsOpen: false, Outcome: { } outcome })
                return new(IsThis(outcome, answer) ? DeskVerdict.Applied : DeskVerdict.AlreadyResolved, status);
            if (DateTime.UtcNow >= deadline) return new(DeskVerdict.Pending, status);
            await Task.Delay(Poll, cancellationToken);
        }
    }

    static bool IsThis(EscalationOutcome outcome, EscalationAnswer answer) =>
        outcome.Action == answer.Action && outcome.By == answer.By && outcome.Via == answer.Via && outcome.At == answer.At;

    /// <summary>The custom status once it is set; an escalation whose first episode has not run yet shows as waiting on its
    /// input; a finished one shows its output.</summary>
    static EscalationStatus? StatusOf(OrchestrationMetadata instance)
    {
        var status = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<EscalationStatus>();
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Completed && instance.ReadOutputAs<EscalationOutcome>() is { } outcome)
        {
            var request = status?.Request ?? instance.ReadInputAs<EscalationRequest>();
            if (request is null) return null;
            return (status ?? new EscalationStatus("resolved", request, instance.CreatedAt.UtcDateTime)) with
            {
                State = EscalationOrchestration.StateOf(outcome),
                Outcome = outcome,
            };
        }
        if (status is not null) return status;
        return instance.ReadInputAs<EscalationRequest>() is { } input
            ? new EscalationStatus(IsLive(instance) ? "waiting" : "failed", input, instance.CreatedAt.UtcDateTime)
            : null;
    }

    static bool IsLive(OrchestrationMetadata instance) =>
        instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;
}

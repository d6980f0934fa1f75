using Baton.Failures;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Activities.Discord;

/// <summary>
/// Reads what an earlier notification's <c>DiscordMessageOrchestration</c> posted (its output), for a notification that
/// replaces it. Still sending: fails as Transient, so the durable retry asks again later. Never sent, or given up:
/// <see cref="DiscordMessageLookup.Absent"/>, and the replacement is posted as a new message.
/// </summary>
public sealed class FindDiscordMessage(DurableTaskClient client) : TaskActivity<string, DiscordMessageLookup>
{
    public override async Task<DiscordMessageLookup> RunAsync(TaskActivityContext context, string instanceId)
    {
        var original = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        if (original is null) return new DiscordMessageLookup(null, Absent: true);
        if (!original.IsCompleted)
            throw new ClassifiedFailureException(FailureClass.Transient, $"The message {instanceId} replaces is not posted yet.");
        var result = original.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? original.ReadOutputAs<DiscordMessageResult>() : null;
        return result?.Message is { } message ? new DiscordMessageLookup(message, Absent: false) : new DiscordMessageLookup(null, Absent: true);
    }
}

using Baton.Activities.Discord;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>
/// Delivers one notification to Discord, apart from the pipeline that sent it (docs/discord.md): the sender starts it
/// under <see cref="DiscordMessageKeys.InstanceIdFor"/> and returns at once, so a Discord outage never blocks or fails
/// the pipeline. It posts the message (or, for a replacement, finds the original's message and edits it) with durable
/// retries that wait out outages and honour rate limits' <c>retry_after</c>; when they are exhausted (a day by default,
/// or at once for bad credentials) it gives up with one error line and still completes. Its output is the
/// <see cref="DiscordMessageResult"/>, which a later replacement reads.
/// </summary>
public sealed class DiscordMessageOrchestration : TaskOrchestrator<DiscordMessageRequest, DiscordMessageResult>
{
    public override async Task<DiscordMessageResult> RunAsync(TaskOrchestrationContext context, DiscordMessageRequest request)
    {
        var retry = RetryPolicies.Discord(request.Retry);
        try
        {
            var original = request.Replaces is { } replaced
                ? await context.CallActivityAsync<DiscordMessageLookup>(nameof(FindDiscordMessage), replaced, retry)
                : null;
            if (original?.Message is { } posted)
            {
                var edited = await context.CallActivityAsync<DiscordMessageRef>(nameof(EditDiscordMessage),
                    new EditDiscordMessageInput(posted, request.Notification), retry);
                return new DiscordMessageResult(edited, Edited: true);
            }
            var message = await context.CallActivityAsync<DiscordMessageRef>(nameof(PostDiscordMessage),
                new PostDiscordMessageInput(request.Notification, request.Nonce), retry);
            return new DiscordMessageResult(message, Edited: false);
        }
        catch (TaskFailedException failure)
        {
            // The documented alternative path: a notification nobody could deliver is dropped, not the pipeline's failure.
            var reason = failure.FailureDetails.ErrorMessage;
            DiscordLog.GaveUp(context.CreateReplaySafeLogger<DiscordMessageOrchestration>(), request.Notification.Kind, context.InstanceId, reason);
            return new DiscordMessageResult(null, Edited: false) { GaveUp = reason };
        }
    }
}

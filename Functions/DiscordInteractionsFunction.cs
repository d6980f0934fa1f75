using System.Text.Json;
using Baton.Durable.Http;
using Baton.Functions.People;
using Baton.Webhooks.Discord;
using Org.BouncyCastle.Crypto.Parameters;

namespace Baton.Functions;

/// <summary>
/// <c>POST /api/discord/interactions</c>: verify the Ed25519 signature over the raw body (401 for anything bad, missing or
/// stale: Discord sends such requests on purpose and disables endpoints that accept them), parse, and answer within
/// Discord's 3 seconds: PING with PONG, buttons and modals through <see cref="DiscordDecisions"/>, <c>/baton</c> through
/// <see cref="DiscordCommands"/>.
/// </summary>
public sealed class DiscordInteractionsFunction(DiscordInteractionOptions options, Ed25519PublicKeyParameters publicKey, TimeProvider clock, ILogger logger)
{
    public const string Route = "/api/discord/interactions";

    /// <summary>Discord reads the answer as plain snake_case JSON; enums are numbers.</summary>
    static readonly JsonSerializerOptions Json = new();

    public async Task<IResult> ReceiveAsync(HttpRequest request, DiscordDecisions decisions, DiscordCommands commands)
    {
        DiscordInteraction interaction;
        try
        {
            interaction = await DiscordInteractionRequest.ReadAsync(request, publicKey, options, clock.GetUtcNow(), request.HttpContext.RequestAborted);
        }
        catch (HttpProblem problem)
        {
            // Our own words (a JSON path at most), never the body or a header's value.
            DiscordInteractionLog.Refused(logger, problem.Status, problem.Detail);
            return problem.ToResult();
        }

        if (interaction is DiscordInteraction.Unsupported unsupported)
            return HttpProblem.BadRequest($"Interaction type {unsupported.Type} is not supported.").ToResult();
        // Not tied to RequestAborted: once an answer is raised its settle wait should finish even if Discord hung up.
        var response = interaction switch
        {
            DiscordInteraction.Component click => await decisions.ClickAsync(click, CancellationToken.None),
            DiscordInteraction.ModalSubmit submit => await decisions.SubmitAsync(submit, CancellationToken.None),
            DiscordInteraction.Command command => await commands.AnswerAsync(command, CancellationToken.None),
            _ => DiscordInteractionResponse.Pong(),   // a Ping: the only kind left
        };
        return TypedResults.Json(response, Json);
    }

    /// <summary>Without the application's public key no interaction can be verified, so all are refused.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "Discord interactions are disabled",
        "No valid application public key is configured (Discord__PublicKey), so interactions cannot be verified.").ToResult();
}

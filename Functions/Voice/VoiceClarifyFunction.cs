using System.Text;
using System.Text.Json;
using Baton.Durable.Http;
using Baton.Hosting;
using Baton.Functions.People;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask.Client;

namespace Baton.Functions.Voice;

/// <summary>
/// <c>POST /api/voice/{id}/clarify</c> with <c>{"answer": "…"}</c>, or <c>{"answers": ["…", …]}</c> one per question: hands
/// the answer to the request's open clarification through the escalation desk (first answer wins, whether it came from
/// here, Discord or the dashboard) and answers 202 with the request's status. 409 when it is not waiting for one.
/// </summary>
public sealed class VoiceClarifyFunction(VoiceCallers callers, EscalationDesk desk, TimeProvider clock, ILogger<VoiceClarifyFunction> logger)
{
    public const string Via = "voice";
    const int MaxBodyBytes = 16 * 1024;
    const int MaxAnswerLength = 4000;
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public async Task<IResult> ClarifyAsync(string id, HttpContext http, DurableTaskClient client)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, changesState: true);
        if (caller is null) return refusal!;
        try
        {
            var (answers, perQuestion) = await ReadAnswersAsync(http.Request, http.RequestAborted);
            var status = await VoiceProgressFunctions.ReadAsync(client, id, clock, http.RequestAborted);
            if (status is null) return VoiceProgressFunctions.NotFound(id);
            if (status.OpenEscalationKey is not { } key) throw NotWaiting(status.Step);

            var text = perQuestion ? Paired(status.Latest(VoiceSteps.ClarificationNeeded)?.Questions ?? [], answers) : answers[0];
            var result = await desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Answer, text, caller.Name, Via, clock.GetUtcNow().UtcDateTime),
                Settle, CancellationToken.None);
            VoiceLog.Clarified(logger, id, caller.Name, result.Verdict.ToString());
            if (result.Verdict is not (DeskVerdict.Applied or DeskVerdict.Pending)) throw NotWaiting("answered already");
            return TypedResults.Json(await VoiceProgressFunctions.ReadAsync(client, id, clock, CancellationToken.None) ?? status,
                Baton.Durable.Serialization.DurableJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
        catch (HttpProblem problem)
        {
            return problem.ToResult();
        }
    }

    /// <summary>Answers paired with the questions they answer ("Q: … / A: …", one line each).</summary>
    static string Paired(IReadOnlyList<string> questions, IReadOnlyList<string> answers)
    {
        var text = new StringBuilder();
        for (var i = 0; i < answers.Count; i++)
            text.Append("Q: ").Append(i < questions.Count ? questions[i] : "(no question)").Append(" / A: ").Append(answers[i]).Append('\n');
        return text.ToString().TrimEnd();
    }

    /// <summary>The answers; <c>PerQuestion</c> when they came as <c>answers</c>, one per question.</summary>
    static async Task<(IReadOnlyList<string> Answers, bool PerQuestion)> ReadAnswersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            throw HttpProblem.UnsupportedMediaType("Send JSON (application/json): {\"answer\": \"…\"} or {\"answers\": [\"…\"]}.");
        RequestBodyLimit.Allow(request, MaxBodyBytes);
        using var buffer = new MemoryStream();
        if (!await RequestBodyLimit.ReadAsync(request, buffer, MaxBodyBytes, cancellationToken))
            throw HttpProblem.TooLarge($"The answer is larger than {MaxBodyBytes / 1024} KiB.");
        try
        {
            using var json = JsonDocument.Parse(buffer.ToArray());
            var root = json.RootElement;
            List<string?> answers = root.ValueKind != JsonValueKind.Object ? []
                : root.TryGetProperty("answer", out var one) && one.ValueKind == JsonValueKind.String ? [one.GetString()]
                : root.TryGetProperty("answers", out var many) && many.ValueKind == JsonValueKind.Array
                    ? [.. many.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null)]
                    : [];
            if (answers.Count == 0 || answers.Any(a => string.IsNullOrWhiteSpace(a)))
                throw HttpProblem.BadRequest("Give the answer as {\"answer\": \"…\"}, or one non-empty string per question as {\"answers\": [\"…\"]}.");
            if (answers.Sum(a => a!.Length) > MaxAnswerLength) throw HttpProblem.BadRequest($"The answer is longer than {MaxAnswerLength} characters.");
            return ([.. answers.Select(a => a!.Trim())], !root.TryGetProperty("answer", out _));
        }
        catch (JsonException)
        {
            throw HttpProblem.BadRequest("The body is not valid JSON.");
        }
    }

    static HttpProblem NotWaiting(string step) =>
        HttpProblem.Conflict($"The request is not waiting for a clarification (it is at '{step}').");
}

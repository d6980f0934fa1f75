using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Functions.Voice;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;
using Baton.Functions.People;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Voice;

/// <summary><c>GET /api/voice/{id}</c>, its server-sent events and <c>POST …/clarify</c>, against the scripted stand-in.</summary>
public sealed class VoiceProgressEndpointTests(VoiceWebHost host) : IClassFixture<VoiceWebHost>
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "/")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", "/")]
    [InlineData("not-an-id", "/events")]
    [InlineData("0123456789abcdef0123456789abcdef", "/events")]
    public async Task Get_UnknownOrMalformedId_Is404Problem(string id, string suffix)
    {
        using var http = host.KeyClient();
        using var response = await http.GetAsync(VoiceRoutes.Status(id) + suffix.TrimEnd('/'));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_NoCredentials_Is401Problem()
    {
        var id = await host.StartScriptedAsync("BATON");
        using var http = new HttpClient { BaseAddress = host.Server.BaseAddress };
        using var status = await http.GetAsync(VoiceRoutes.Status(id));
        await ProblemAssert.IsProblemAsync(status, HttpStatusCode.Unauthorized);
        using var events = await http.GetAsync(VoiceRoutes.Events(id));
        await ProblemAssert.IsProblemAsync(events, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Events_WithLastEventId_ReplaysOnlyLaterEventsThenEnds()
    {
        var id = await host.StartScriptedAsync("BATON");
        await host.WaitForStepAsync(id, VoiceSteps.Completed);
        using var http = host.KeyClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, VoiceRoutes.Events(id));
        request.Headers.Add("Last-Event-ID", "2");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var stream = new VoiceWebEvents(await response.Content.ReadAsStreamAsync());
        var events = await stream.ToEndAsync();
        Assert.Equal([VoiceSteps.Transcribed, VoiceSteps.Extracting, VoiceSteps.CreatingTicket, VoiceSteps.Completed], events.Select(e => e.Event));
        Assert.Equal(["3", "4", "5", "6"], events.Select(e => e.Id));
        Assert.All(events, e => Assert.Equal(e.Id, e.Data.GetProperty("seq").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(VoiceWebScriptedOrchestration.Transcript, events[0].Data.GetProperty("transcript").GetString());
        Assert.Equal("BATON-1", events[^1].Data.GetProperty("ticketKey").GetString());
    }

    [Fact]
    public async Task Events_Live_FollowClarificationToCompletion()
    {
        var id = await host.StartScriptedAsync(project: null);
        using var http = host.KeyClient();
        using var response = await http.GetAsync(VoiceRoutes.Events(id), HttpCompletionOption.ResponseHeadersRead);
        using var stream = new VoiceWebEvents(await response.Content.ReadAsStreamAsync());

        var asked = (await stream.UntilAsync(VoiceSteps.ClarificationNeeded))[^1];
        Assert.Equal(VoiceWebScriptedOrchestration.Question, asked.Data.GetProperty("questions")[0].GetString());
        using var answered = await PostJsonAsync(http, id, """{ "answer": "web" }""");
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        var rest = await stream.ToEndAsync();

        Assert.Equal([VoiceSteps.Clarified, VoiceSteps.CreatingTicket, VoiceSteps.Completed], rest.Select(e => e.Event));
        Assert.Equal("WEB-1", rest[^1].Data.GetProperty("ticketKey").GetString());
        var outcome = await EscalationOutcomeAsync(asked.Data.GetProperty("escalationKey").GetString()!);
        Assert.Equal(("web", VoiceWebHost.KeyName, VoiceClarifyFunction.Via), (outcome.Text, outcome.By, outcome.Via));
    }

    [Fact]
    public async Task Events_FailedRequest_EndsWithItsReason()
    {
        var id = await host.StartScriptedAsync(VoiceWebScriptedOrchestration.Failing);
        using var http = host.KeyClient();
        using var response = await http.GetAsync(VoiceRoutes.Events(id), HttpCompletionOption.ResponseHeadersRead);
        using var stream = new VoiceWebEvents(await response.Content.ReadAsStreamAsync());
        var events = await stream.ToEndAsync();
        Assert.Equal(VoiceSteps.Failed, events[^1].Event);
        Assert.Contains("model server", events[^1].Data.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clarify_AnswersPerQuestion_JoinedWithTheirQuestions()
    {
        var id = await host.StartScriptedAsync(project: null);
        var status = await host.WaitForStepAsync(id, VoiceSteps.ClarificationNeeded);
        using var http = host.KeyClient();

        using var response = await PostJsonAsync(http, id, """{ "answers": ["ops"] , "extra": 1 }""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var outcome = await EscalationOutcomeAsync(status.GetProperty("openEscalationKey").GetString()!);
        Assert.Equal($"Q: {VoiceWebScriptedOrchestration.Question} / A: ops", outcome.Text);
        await host.WaitForStepAsync(id, VoiceSteps.Completed);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{ "answer": "" }""")]
    [InlineData("""{ "answer": 5 }""")]
    [InlineData("""{ "answers": [] }""")]
    [InlineData("""{ "answers": ["ok", null] }""")]
    public async Task Clarify_MalformedOrEmptyJson_Is400AndStillWaits(string json)
    {
        var id = await host.StartScriptedAsync(project: null);
        await host.WaitForStepAsync(id, VoiceSteps.ClarificationNeeded);
        using var http = host.KeyClient();

        using var response = await PostJsonAsync(http, id, json);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var status = await host.WaitForStepAsync(id, VoiceSteps.ClarificationNeeded);
        var desk = host.Server.Services.GetRequiredService<EscalationDesk>();
        var escalation = await desk.GetAsync(status.GetProperty("openEscalationKey").GetString()!, CancellationToken.None);
        Assert.True(escalation is { IsOpen: true, Outcome: null }, $"the clarification was settled: {escalation}");
    }

    [Fact]
    public async Task Clarify_NotJson_Is415Problem()
    {
        var id = await host.StartScriptedAsync(project: null);
        using var http = host.KeyClient();
        using var response = await http.PostAsync(VoiceRoutes.Clarify(id), new StringContent("web", Encoding.UTF8, "text/plain"));
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Clarify_NotWaiting_Is409Problem()
    {
        var id = await host.StartScriptedAsync("BATON");
        await host.WaitForStepAsync(id, VoiceSteps.Completed);
        using var http = host.KeyClient();
        using var response = await PostJsonAsync(http, id, """{ "answer": "web" }""");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Clarify_UnknownId_Is404Problem()
    {
        using var http = host.KeyClient();
        using var response = await PostJsonAsync(http, "0123456789abcdef0123456789abcdef", """{ "answer": "web" }""");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Clarify_WrongKey_Is401AndStillWaits()
    {
        var id = await host.StartScriptedAsync(project: null);
        await host.WaitForStepAsync(id, VoiceSteps.ClarificationNeeded);
        using var http = host.KeyClient("wrong");
        using var response = await PostJsonAsync(http, id, """{ "answer": "web" }""");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await host.WaitForStepAsync(id, VoiceSteps.ClarificationNeeded);
    }

    static Task<HttpResponseMessage> PostJsonAsync(HttpClient http, string id, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return http.PostAsync(VoiceRoutes.Clarify(id), content);
    }

    async Task<EscalationOutcome> EscalationOutcomeAsync(string key)
    {
        var instance = await host.Server.WaitForStatusAsync(EscalationIds.InstanceIdFor(key), "Completed");
        instance.Dispose();
        var metadata = await host.Server.Client.GetInstanceAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true);
        return metadata!.ReadOutputAs<EscalationOutcome>()!;
    }
}

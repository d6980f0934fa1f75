using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Durable.Storage;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.ManagementApi;

/// <summary>
/// Every kind of bad request gets its exact 4xx status with a problem-details body, and changes nothing: the
/// instances, their statuses and the queued messages are the same before and after.
/// </summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    /// <summary>Its own server, so that no other test changes state while a case is checked.</summary>
    public sealed class Fixture : ServerFixture
    {
        public const string Running = "bad-input-running";
        public const string Finished = "bad-input-finished";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Server.StartAsync(nameof(WaitForApprovalOrchestration), Running);
            await Server.StartAsync(nameof(HelloSequenceOrchestration), Finished);
            (await Server.WaitForStatusAsync(Running, "Running")).Dispose();
            (await Server.WaitForStatusAsync(Finished, "Completed")).Dispose();
        }
    }

    const string Json = "application/json";
    static readonly string Hello = nameof(HelloSequenceOrchestration);
    static readonly string TooLongId = new('a', 257);
    static readonly string OversizedJson = "\"" + new string('x', 2 * 1024 * 1024) + "\"";

    /// <param name="Path">Relative to the management API; <c>{running}</c> and <c>{finished}</c> name the fixture's instances.</param>
    public sealed record Case(string Method, string Path, HttpStatusCode Expected)
    {
        public string? Body { get; init; }
        public string? ContentType { get; init; } = Json;
        public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
        /// <summary>Send the body without Content-Length (chunked), so only a read-time check can stop it.</summary>
        public bool Chunked { get; init; }
    }

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["start: unknown orchestrator"] = new("POST", "/orchestrators/NoSuchOrchestration", HttpStatusCode.BadRequest),
        ["start: orchestrator name too long"] = new("POST", $"/orchestrators/{new string('n', 300)}", HttpStatusCode.BadRequest),
        ["start: malformed JSON"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.BadRequest) { Body = "{ \"names\": [" },
        ["start: text/plain body"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.UnsupportedMediaType) { Body = "hi", ContentType = "text/plain" },
        ["start: JSON in latin-1"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.UnsupportedMediaType) { Body = "{}", ContentType = "application/json; charset=iso-8859-1" },
        ["start: body over the payload limit"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.RequestEntityTooLarge) { Body = OversizedJson },
        ["start: chunked body over the payload limit"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.RequestEntityTooLarge) { Body = OversizedJson, Chunked = true },
        ["start: instance id too long"] = new("POST", $"/orchestrators/{Hello}/{TooLongId}", HttpStatusCode.BadRequest),
        ["start: instance id with a control character"] = new("POST", $"/orchestrators/{Hello}/bad%01id", HttpStatusCode.BadRequest),
        ["start: id of a running instance"] = new("POST", $"/orchestrators/{Hello}/{{running}}", HttpStatusCode.Conflict),
        ["start: timeout not a number"] = new("POST", $"/orchestrators/{Hello}?timeout=soon&pollingInterval=1", HttpStatusCode.BadRequest),
        ["start: negative timeout"] = new("POST", $"/orchestrators/{Hello}?timeout=-1&pollingInterval=1", HttpStatusCode.BadRequest),
        ["start: timeout without pollingInterval"] = new("POST", $"/orchestrators/{Hello}?timeout=5", HttpStatusCode.BadRequest),
        ["start: timeout above the maximum"] = new("POST", $"/orchestrators/{Hello}?timeout=100000&pollingInterval=1", HttpStatusCode.BadRequest),
        ["start: idempotency key too long"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.BadRequest) { Headers = [("Idempotency-Key", new string('k', 300))] },
        ["start: blank idempotency key"] = new("POST", $"/orchestrators/{Hello}", HttpStatusCode.BadRequest) { Headers = [("Idempotency-Key", "   ")] },

        ["status: unknown instance"] = new("GET", "/instances/no-such-instance", HttpStatusCode.NotFound),
        ["status: instance id too long"] = new("GET", $"/instances/{TooLongId}", HttpStatusCode.BadRequest),
        ["status: showInput not a boolean"] = new("GET", "/instances/{running}?showInput=maybe", HttpStatusCode.BadRequest),
        ["status: showHistory given twice"] = new("GET", "/instances/{running}?showHistory=true&showHistory=false", HttpStatusCode.BadRequest),
        ["history: unknown instance"] = new("GET", "/instances/no-such-instance/history", HttpStatusCode.NotFound),

        ["list: createdTimeFrom not a date"] = new("GET", "/instances?createdTimeFrom=yesterday", HttpStatusCode.BadRequest),
        ["list: createdTimeTo not a date"] = new("GET", "/instances?createdTimeTo=2025-13-45", HttpStatusCode.BadRequest),
        ["list: createdTimeFrom after createdTimeTo"] = new("GET", "/instances?createdTimeFrom=2025-02-01&createdTimeTo=2025-01-01", HttpStatusCode.BadRequest),
        ["list: unknown runtime status"] = new("GET", "/instances?runtimeStatus=Sleeping", HttpStatusCode.BadRequest),
        ["list: numeric runtime status"] = new("GET", "/instances?runtimeStatus=1", HttpStatusCode.BadRequest),
        ["list: empty runtime status in the list"] = new("GET", "/instances?runtimeStatus=Running,,", HttpStatusCode.BadRequest),
        ["list: top zero"] = new("GET", "/instances?top=0", HttpStatusCode.BadRequest),
        ["list: top negative"] = new("GET", "/instances?top=-5", HttpStatusCode.BadRequest),
        ["list: top not a number"] = new("GET", "/instances?top=ten", HttpStatusCode.BadRequest),
        ["list: top above the maximum"] = new("GET", "/instances?top=5000", HttpStatusCode.BadRequest),
        ["list: instanceIdPrefix too long"] = new("GET", $"/instances?instanceIdPrefix={TooLongId}", HttpStatusCode.BadRequest),
        ["list: malformed continuation token"] = new("GET", "/instances", HttpStatusCode.BadRequest) { Headers = [("x-ms-continuation-token", "%%not-base64%%")] },
        ["list: forged continuation token"] = new("GET", "/instances", HttpStatusCode.BadRequest) { Headers = [("x-ms-continuation-token", Base64Url.EncodeToString("garbage"u8))] },

        ["raiseEvent: unknown instance"] = new("POST", "/instances/no-such-instance/raiseEvent/Approval", HttpStatusCode.NotFound) { Body = "\"x\"" },
        ["raiseEvent: no content type"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.UnsupportedMediaType) { Body = "\"x\"", ContentType = null },
        ["raiseEvent: empty body without content type"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.UnsupportedMediaType) { ContentType = null },
        ["raiseEvent: text/plain"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.UnsupportedMediaType) { Body = "x", ContentType = "text/plain" },
        ["raiseEvent: malformed JSON"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.BadRequest) { Body = "{\"by\": " },
        ["raiseEvent: body over the payload limit"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.RequestEntityTooLarge) { Body = OversizedJson },
        ["raiseEvent: finished instance"] = new("POST", "/instances/{finished}/raiseEvent/Approval", HttpStatusCode.Gone) { Body = "\"x\"" },
        ["raiseEvent: event name too long"] = new("POST", $"/instances/{{running}}/raiseEvent/{new string('e', 300)}", HttpStatusCode.BadRequest) { Body = "\"x\"" },
        ["raiseEvent: idempotency key too long"] = new("POST", "/instances/{running}/raiseEvent/Approval", HttpStatusCode.BadRequest) { Body = "\"x\"", Headers = [("Idempotency-Key", new string('k', 300))] },

        ["terminate: unknown instance"] = new("POST", "/instances/no-such-instance/terminate", HttpStatusCode.NotFound) { ContentType = null },
        ["terminate: finished instance"] = new("POST", "/instances/{finished}/terminate", HttpStatusCode.Gone) { ContentType = null },
        ["terminate: recursive not a boolean"] = new("POST", "/instances/{running}/terminate?recursive=yes", HttpStatusCode.BadRequest) { ContentType = null },
        ["terminate: reason too long"] = new("POST", $"/instances/{{running}}/terminate?reason={new string('r', 5000)}", HttpStatusCode.BadRequest) { ContentType = null },
        ["suspend: finished instance"] = new("POST", "/instances/{finished}/suspend", HttpStatusCode.Gone) { ContentType = null },
        ["suspend: reason too long"] = new("POST", $"/instances/{{running}}/suspend?reason={new string('r', 5000)}", HttpStatusCode.BadRequest) { ContentType = null },
        ["resume: unknown instance"] = new("POST", "/instances/no-such-instance/resume", HttpStatusCode.NotFound) { ContentType = null },
        ["resume: finished instance"] = new("POST", "/instances/{finished}/resume", HttpStatusCode.Gone) { ContentType = null },

        ["purge: running instance"] = new("DELETE", "/instances/{running}", HttpStatusCode.Conflict) { ContentType = null },
        ["purge: unknown instance"] = new("DELETE", "/instances/no-such-instance", HttpStatusCode.NotFound) { ContentType = null },
        ["purge: recursive not a boolean"] = new("DELETE", "/instances/{finished}?recursive=please", HttpStatusCode.BadRequest) { ContentType = null },
        ["bulk purge: no createdTimeFrom"] = new("DELETE", "/instances", HttpStatusCode.BadRequest) { ContentType = null },
        ["bulk purge: createdTimeFrom not a date"] = new("DELETE", "/instances?createdTimeFrom=last-week", HttpStatusCode.BadRequest) { ContentType = null },
        ["bulk purge: a running status"] = new("DELETE", "/instances?createdTimeFrom=2000-01-01&runtimeStatus=Completed,Running", HttpStatusCode.BadRequest) { ContentType = null },
        ["bulk purge: createdTimeFrom after createdTimeTo"] = new("DELETE", "/instances?createdTimeFrom=2030-01-01&createdTimeTo=2000-01-01", HttpStatusCode.BadRequest) { ContentType = null },

        ["route: unknown path under the API"] = new("GET", "/no-such-route", HttpStatusCode.NotFound),
        ["route: wrong method"] = new("PUT", "/instances/{running}", HttpStatusCode.MethodNotAllowed) { Body = "{}" },
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    readonly BatonServer server = fixture.Server;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Request_BadInput_ReturnsExactProblemAndChangesNothing(string name)
    {
        var @case = Cases[name];
        var before = await SnapshotAsync();

        using var response = await server.Http.SendAsync(Build(@case));

        var problem = await ProblemAssert.IsProblemAsync(response, @case.Expected);
        Assert.Equal(before, await SnapshotAsync());
        if (@case.Expected != HttpStatusCode.NotFound && @case.Expected != HttpStatusCode.MethodNotAllowed)
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    HttpRequestMessage Build(Case @case)
    {
        var path = @case.Path.Replace("{running}", Fixture.Running).Replace("{finished}", Fixture.Finished);
        var request = new HttpRequestMessage(new HttpMethod(@case.Method), server.Api(path));
        if (@case.Body is not null || @case.ContentType is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(@case.Body ?? "");
            HttpContent content = @case.Chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
            if (@case.ContentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(@case.ContentType);
            request.Content = content;
        }
        else if (@case.Method is "POST" or "PUT")
        {
            // A body-less POST with no content type at all.
            request.Content = new ByteArrayContent([]);
        }
        foreach (var (header, value) in @case.Headers) request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    /// <summary>Everything a refused request must not change: instances with their status and last update, and queue sizes.</summary>
    async Task<string> SnapshotAsync()
    {
        // Read from the store itself, whichever engine and client the host runs.
        var store = server.Services.GetRequiredService<IDurableStore>();
        var page = await store.QueryInstancesAsync(new InstanceQuery { PageSize = 1000 });
        var counts = await store.GetCountsAsync();
        var instances = page.Instances.OrderBy(i => i.InstanceId).Select(i => $"{i.InstanceId}:{i.Status}:{i.LastUpdatedAt:O}");
        return string.Join("|", instances) + $"|inbox={counts.InboxRows}|activities={counts.ActivityRows}";
    }

    /// <summary>A readable stream whose length is unknown, which makes HttpClient send the body chunked.</summary>
    sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

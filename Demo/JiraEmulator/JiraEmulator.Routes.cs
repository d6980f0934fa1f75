using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Baton.Demo.JiraEmulator;

public sealed partial class JiraEmulator
{
    void MapRoutes(WebApplication web)
    {
        web.MapGet("/rest/api/3/issue/{key}", (string key) => Read(key, View));
        web.MapPost("/rest/api/3/issue", CreateAsync);
        web.MapPut("/rest/api/3/issue/{key}", EditAsync);
        web.MapGet("/rest/api/3/issue/{key}/comment", (string key) => Read(key, i => new JsonObject
        {
            ["startAt"] = 0, ["maxResults"] = i.Comments.Count, ["total"] = i.Comments.Count,
            ["comments"] = new JsonArray([.. i.Comments.Select(c => (JsonNode)Comment(i, c.Id, c.Body))]),
        }));
        web.MapPost("/rest/api/3/issue/{key}/comment", AddCommentAsync);
        web.MapGet("/rest/api/3/issue/{key}/transitions", (string key) => Read(key, i => new JsonObject
        {
            ["transitions"] = new JsonArray([.. Transitions.Where(t => t.To != i.Status).Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id, ["name"] = t.Name, ["hasScreen"] = false, ["isAvailable"] = true, ["to"] = Status(t.To),
            })]),
        }));
        web.MapPost("/rest/api/3/issue/{key}/transitions", TransitionAsync);
        web.MapGet("/rest/api/3/issue/{key}/remotelink", (string key) => Read(key, i => new JsonArray([.. i.RemoteLinks.Select(l => (JsonNode)RemoteLink(i, l))])));
        web.MapPost("/rest/api/3/issue/{key}/remotelink", AddRemoteLinkAsync);
        web.MapGet("/rest/api/3/search/jql", Search);
    }

    IResult Read(string key, Func<EmulatedJiraIssue, JsonNode> view)
    {
        lock (gate)
            return issues.TryGetValue(key, out var issue) ? Results.Json(view(issue)) : NotFound();
    }

    async Task<IResult> CreateAsync(HttpRequest request)
    {
        var fields = (await BodyAsync(request))?["fields"] as JsonObject;
        if (fields?["project"]?["key"]?.GetValue<string>() is not { Length: > 0 } project || fields["summary"]?.GetValue<string>() is not { Length: > 0 } summary)
            return BadRequest("Fields 'project' and 'summary' are required.");
        lock (gate)
        {
            var issue = Add(project, summary, fields["description"]?.DeepClone() as JsonObject ?? Baton.Activities.Jira.Adf.FromText(""), "To Do");
            issue.Labels.AddRange((fields["labels"] as JsonArray ?? []).Select(l => l!.GetValue<string>()));
            return Results.Json(new JsonObject { ["id"] = issue.Id, ["key"] = issue.Key, ["self"] = Self(issue) }, statusCode: 201);
        }
    }

    async Task<IResult> EditAsync(string key, HttpRequest request)
    {
        var fields = (await BodyAsync(request))?["fields"] as JsonObject;
        lock (gate)
        {
            if (!issues.TryGetValue(key, out var issue)) return NotFound();
            if (fields?["summary"]?.GetValue<string>() is { } summary) issue.Summary = summary;
            if (fields?["description"] is JsonObject description) issue.Description = (JsonObject)description.DeepClone();
            return Results.NoContent();
        }
    }

    async Task<IResult> AddCommentAsync(string key, HttpRequest request)
    {
        if ((await BodyAsync(request))?["body"] is not JsonObject body || body["type"]?.GetValue<string>() != "doc")
            return BadRequest("Comment body is not valid ADF.");
        lock (gate)
        {
            if (!issues.TryGetValue(key, out var issue)) return NotFound();
            var id = (nextId++).ToString(CultureInfo.InvariantCulture);
            issue.Comments.Add((id, (JsonObject)body.DeepClone()));
            return Results.Json(Comment(issue, id, body), statusCode: 201);
        }
    }

    async Task<IResult> TransitionAsync(string key, HttpRequest request)
    {
        var id = (await BodyAsync(request))?["transition"]?["id"]?.GetValue<string>();
        EmulatedJiraIssue? issue;
        EmulatedTransition? transition;
        lock (gate)
        {
            if (!issues.TryGetValue(key, out issue)) return NotFound();
            transition = Transitions.FirstOrDefault(t => t.Id == id && t.To != issue.Status);
        }
        if (transition is null) return BadRequest($"Transition id '{id}' is not valid for this issue.");
        Move(issue, transition.To);
        return Results.NoContent();
    }

    async Task<IResult> AddRemoteLinkAsync(string key, HttpRequest request)
    {
        var body = await BodyAsync(request);
        if (body?["object"]?["url"]?.GetValue<string>() is not { Length: > 0 } url)
            return BadRequest("'object.url' is required.");
        var title = body["object"]?["title"]?.GetValue<string>() ?? url;
        var globalId = body["globalId"]?.GetValue<string>() ?? "";
        lock (gate)
        {
            if (!issues.TryGetValue(key, out var issue)) return NotFound();
            // As Jira does: the same globalId updates the link it names.
            var existing = issue.RemoteLinks.FindIndex(l => globalId.Length > 0 && l.GlobalId == globalId);
            var link = (existing >= 0 ? issue.RemoteLinks[existing].Id : nextId++, globalId, url, title);
            if (existing >= 0) issue.RemoteLinks[existing] = link;
            else issue.RemoteLinks.Add(link);
            return Results.Json(new JsonObject { ["id"] = link.Item1, ["self"] = $"{Self(issue)}/remotelink/{link.Item1}" },
                statusCode: existing >= 0 ? 200 : 201);
        }
    }

    /// <summary>A small JQL: clauses <c>project = KEY</c> and <c>status = "Name"</c> joined by AND; pages of
    /// <c>maxResults</c> with an opaque <c>nextPageToken</c>.</summary>
    IResult Search(string jql, string? nextPageToken, int? maxResults)
    {
        var size = Math.Clamp(maxResults ?? 50, 1, 100);
        var start = int.TryParse(nextPageToken, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        lock (gate)
        {
            var matching = issues.Values.Where(i => Matches(i, jql)).OrderBy(i => int.Parse(i.Id, CultureInfo.InvariantCulture)).ToList();
            var page = matching.Skip(start).Take(size).ToList();
            var last = start + page.Count >= matching.Count;
            var answer = new JsonObject { ["issues"] = new JsonArray([.. page.Select(i => (JsonNode)View(i))]), ["isLast"] = last };
            if (!last) answer["nextPageToken"] = (start + size).ToString(CultureInfo.InvariantCulture);
            return Results.Json(answer);
        }
    }

    static bool Matches(EmulatedJiraIssue issue, string jql) =>
        jql.Split(" AND ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(clause =>
            clause.Split('=', 2, StringSplitOptions.TrimEntries) is [var field, var value]
                ? field.ToLowerInvariant() switch
                {
                    "project" => issue.ProjectKey.Equals(value.Trim('"'), StringComparison.OrdinalIgnoreCase),
                    "status" => issue.Status.Equals(value.Trim('"'), StringComparison.OrdinalIgnoreCase),
                    "labels" => issue.Labels.Contains(value.Trim('"'), StringComparer.Ordinal),
                    _ => true,
                }
                : true);

    JsonObject View(EmulatedJiraIssue issue) => new()
    {
        ["id"] = issue.Id,
        ["key"] = issue.Key,
        ["self"] = Self(issue),
        ["fields"] = new JsonObject
        {
            ["summary"] = issue.Summary,
            ["description"] = issue.Description.DeepClone(),
            ["status"] = Status(issue.Status),
            ["project"] = new JsonObject { ["id"] = "10000", ["key"] = issue.ProjectKey },
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)l)]),
        },
    };

    JsonObject Comment(EmulatedJiraIssue issue, string id, JsonObject body) => new()
    {
        ["id"] = id,
        ["self"] = $"{Self(issue)}/comment/{id}",
        ["author"] = new JsonObject { ["accountId"] = "5b10a2844c20165700ede21g", ["displayName"] = Email },
        ["body"] = body.DeepClone(),
    };

    JsonObject RemoteLink(EmulatedJiraIssue issue, (long Id, string GlobalId, string Url, string Title) link) => new()
    {
        ["id"] = link.Id,
        ["globalId"] = link.GlobalId,
        ["self"] = $"{Self(issue)}/remotelink/{link.Id}",
        ["object"] = new JsonObject { ["url"] = link.Url, ["title"] = link.Title },
    };

    JsonObject Status(string name) => new()
    {
        ["id"] = StatusId(name),
        ["name"] = name,
        ["self"] = $"{BaseUrl}rest/api/3/status/{StatusId(name)}",
    };

    string StatusId(string name) =>
        (10000 + Math.Max(0, Transitions.FindIndex(t => t.To == name))).ToString(CultureInfo.InvariantCulture);

    string Self(EmulatedJiraIssue issue) => $"{BaseUrl}rest/api/3/issue/{issue.Id}";

    static async Task<JsonNode?> BodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    static IResult NotFound() => Results.Json(new JsonObject
    {
        ["errorMessages"] = new JsonArray("Issue does not exist or you do not have permission to see it."),
        ["errors"] = new JsonObject(),
    }, statusCode: 404);

    static IResult BadRequest(string message) => Results.Json(new JsonObject
    {
        ["errorMessages"] = new JsonArray(message),
        ["errors"] = new JsonObject(),
    }, statusCode: 400);
}

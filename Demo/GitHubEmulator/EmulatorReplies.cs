using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Baton.Demo.GitHubEmulator;

/// <summary>How the emulator answers: JSON with an ETag (304 when it matches <c>If-None-Match</c>), pages with a <c>Link</c> header, GitHub's error bodies.</summary>
static class EmulatorReplies
{
    public const int DefaultPageSize = 30;
    public const int MaxPageSize = 100;

    public static async Task JsonAsync(HttpContext context, JsonNode body, int status = 200)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        if (HttpMethods.IsGet(context.Request.Method) && status == 200)
        {
            var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..40]}\"";
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
            {
                context.Response.StatusCode = 304;
                return;
            }
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(bytes);
    }

    /// <summary>One page of <paramref name="items"/> by <c>per_page</c>/<c>page</c>, with GitHub's <c>Link</c> relations; <paramref name="wrap"/> shapes the page (check runs come in an object).</summary>
    public static Task PageAsync(HttpContext context, string apiRoot, IReadOnlyList<JsonNode> items, Func<JsonArray, int, JsonNode>? wrap = null)
    {
        var query = context.Request.Query;
        var perPage = Math.Clamp(IntOr(query["per_page"], DefaultPageSize), 1, MaxPageSize);
        var page = Math.Max(1, IntOr(query["page"], 1));
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var slice = new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage).Select(i => i.DeepClone())]);

        var links = new List<string>();
        if (page < last) links.Add(Link(context, apiRoot, page + 1, "next"));
        if (page < last) links.Add(Link(context, apiRoot, last, "last"));
        if (page > 1) links.Add(Link(context, apiRoot, 1, "first"));
        if (page > 1) links.Add(Link(context, apiRoot, page - 1, "prev"));
        if (links.Count > 0) context.Response.Headers["Link"] = string.Join(", ", links);
        return JsonAsync(context, wrap is null ? slice : wrap(slice, items.Count));
    }

    static string Link(HttpContext context, string apiRoot, int page, string rel)
    {
        var query = QueryHelpers.ParseQuery(context.Request.QueryString.Value)
            .Where(q => q.Key != "page")
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return $"<{QueryHelpers.AddQueryString(apiRoot + context.Request.Path, query)}>; rel=\"{rel}\"";
    }

    static int IntOr(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    public static Task ErrorAsync(HttpContext context, int status, string message)
    {
        var body = new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" };
        if (status == 422) body["status"] = "422";
        return JsonAsync(context, body, status);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) as JsonObject
                ?? throw new EmulatorHttpException(400, "Problems parsing JSON");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new EmulatorHttpException(400, "Problems parsing JSON");
        }
    }

    public static string Required(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw EmulatorStore.Invalid($"Invalid request.\n\n\"{name}\" wasn't supplied.");

    public static string? Optional(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static IReadOnlyList<string> Strings(JsonObject body, string name) =>
        body[name] is JsonArray array
            ? [.. array.Select(n => n?.GetValue<string>() ?? throw EmulatorStore.Invalid($"Invalid request.\n\n\"{name}\" holds a null."))]
            : throw EmulatorStore.Invalid($"Invalid request.\n\n\"{name}\" wasn't supplied.");
}

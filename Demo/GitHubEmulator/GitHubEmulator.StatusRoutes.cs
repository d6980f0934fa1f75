using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.GitHubEmulator;

public sealed partial class GitHubEmulator
{
    static readonly HashSet<string> StatusStates = ["error", "failure", "pending", "success"];

    /// <summary>Commit statuses: create one (<c>POST /repos/{o}/{r}/statuses/{sha}</c>) and list a ref's, newest first
    /// (<c>GET /repos/{o}/{r}/commits/{ref}/statuses</c>), as GitHub does.</summary>
    void MapStatusRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapPost(Repo + "/statuses/{sha}", CreateStatusAsync);
        routes.MapGet(Repo + "/commits/{ref}/statuses", context =>
        {
            var repository = FindRepository(context);
            var sha = context.Request.RouteValues["ref"]?.ToString() ?? "";
            return Page(context, LockedList(() => repository.Statuses.Where(s => s.Sha == sha).Reverse().Select(StatusJson)));
        });
    }

    async Task CreateStatusAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var sha = context.Request.RouteValues["sha"]?.ToString() ?? "";
        if (sha.Length != 40 || !sha.All(Uri.IsHexDigit)) throw EmulatorStore.Invalid($"No commit found for SHA: {sha}");
        var state = EmulatorReplies.Required(body, "state");
        if (!StatusStates.Contains(state)) throw EmulatorStore.Invalid($"Validation Failed: state '{state}' is not error, failure, pending or success");
        var status = new EmulatedStatus(store.NextId(), sha, state, EmulatorReplies.Optional(body, "context") ?? "default",
            EmulatorReplies.Optional(body, "description"), EmulatorReplies.Optional(body, "target_url"), ApiUser, store.Now);
        Locked(() =>
        {
            repository.Statuses.Add(status);
            return true;
        });
        await Reply(context, StatusJson(status), 201);
    }

    static JsonNode StatusJson(EmulatedStatus status) => new JsonObject
    {
        ["id"] = status.Id,
        ["state"] = status.State,
        ["context"] = status.Context,
        ["description"] = status.Description,
        ["target_url"] = status.TargetUrl,
        ["creator"] = new JsonObject { ["login"] = status.Creator },
        ["created_at"] = status.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        ["updated_at"] = status.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    };
}

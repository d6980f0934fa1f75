using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.GitHubEmulator;

public sealed partial class GitHubEmulator
{
    const string Repo = "/repos/{owner}/{repo}";
    const string Issue = Repo + "/issues/{number:int}";

    void MapIssueRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Repo + "/issues", ListIssuesAsync);
        routes.MapPost(Repo + "/issues", CreateIssueAsync);
        routes.MapGet(Issue, context => Reply(context, Locked(() => store.Json.Issue(FindIssue(context)))));
        routes.MapPatch(Issue, UpdateIssueAsync);
        routes.MapGet(Issue + "/labels", context => Page(context, LockedList(() => { var issue = FindIssue(context); return issue.Labels.Select(l => store.Json.Label(l, issue.Repository)); })));
        routes.MapPost(Issue + "/labels", AddLabelsAsync);
        routes.MapDelete(Issue + "/labels/{name}", RemoveLabelAsync);
        routes.MapPost(Issue + "/assignees", AddAssigneesAsync);
        routes.MapGet(Issue + "/comments", context => Page(context, LockedList(() => { var issue = FindIssue(context); return issue.Comments.Select(c => store.Json.Comment(c, issue)); })));
        routes.MapPost(Issue + "/comments", CreateCommentAsync);
        routes.MapGet(Issue + "/events", context => Page(context, LockedList(() => { var issue = FindIssue(context); return issue.Events.Select(e => store.Json.IssueEvent(e, issue)); })));
        routes.MapGet(Issue + "/dependencies/blocked_by", context => Page(context, LockedList(() => FindIssue(context).BlockedBy.Select(store.Json.Issue))));
        routes.MapPost(Issue + "/dependencies/blocked_by", AddBlockedByAsync);
        routes.MapDelete(Issue + "/dependencies/blocked_by/{issueId:long}", RemoveBlockedByAsync);
        routes.MapGet(Repo + "/milestones", context => Page(context, LockedList(() =>
        {
            var state = context.Request.Query["state"].ToString() is { Length: > 0 } s ? s : "open";
            return FindRepository(context).Milestones.Values.Where(m => state == "all" || m.State == state).Select(store.Json.Milestone);
        })));
        routes.MapPost(Repo + "/milestones", CreateMilestoneAsync);
        routes.MapGet(Repo + "/milestones/{milestone:int}", context => Reply(context, Locked(() => store.Json.Milestone(FindMilestone(context)))));
        routes.MapPatch(Repo + "/milestones/{milestone:int}", UpdateMilestoneAsync);
    }

    Task ListIssuesAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var state = context.Request.Query["state"].ToString() is { Length: > 0 } s ? s : "open";
        var labels = context.Request.Query["labels"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var issues = LockedList(() => repository.Issues.Values
            .Where(i => state == "all" || i.State == state)
            .Where(i => labels.All(name => i.Labels.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))))
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Number)
            .Select(store.Json.Issue));
        return Page(context, issues);
    }

    async Task CreateIssueAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var labels = body["labels"] is JsonArray ? EmulatorReplies.Strings(body, "labels") : [];
        var issue = store.CreateIssue(repository, EmulatorReplies.Required(body, "title"), EmulatorReplies.Optional(body, "body"), labels, ApiUser);
        if (body["milestone"] is JsonValue value && value.TryGetValue<int>(out var milestone))
            store.SetMilestone(issue, store.FindMilestone(repository, milestone), ApiUser);
        await Reply(context, Locked(() => store.Json.Issue(issue)), 201);
    }

    /// <summary><c>POST …/milestones</c>: title (required) and description.</summary>
    async Task CreateMilestoneAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var milestone = store.CreateMilestone(repository, EmulatorReplies.Required(body, "title"), ApiUser, EmulatorReplies.Optional(body, "description"));
        await Reply(context, Locked(() => store.Json.Milestone(milestone)), 201);
    }

    /// <summary><c>PATCH …/issues/{n}</c>: state (with state_reason), title, body.</summary>
    async Task UpdateIssueAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        lock (store.Gate)
        {
            issue.Title = EmulatorReplies.Optional(body, "title") ?? issue.Title;
            issue.Body = EmulatorReplies.Optional(body, "body") ?? issue.Body;
            if (EmulatorReplies.Optional(body, "state") is { } state)
            {
                if (state is not ("open" or "closed")) throw EmulatorStore.Invalid($"Validation Failed: state '{state}' is not open or closed");
                store.SetState(issue, state == "open", ApiUser, EmulatorReplies.Optional(body, "state_reason"));
            }
        }
        await Reply(context, Locked(() => store.Json.Issue(issue)));
    }

    async Task AddLabelsAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        store.AddLabels(issue, EmulatorReplies.Strings(body, "labels"), ApiUser);
        await Reply(context, Locked(() => LabelsOf(issue)));
    }

    Task RemoveLabelAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var name = Uri.UnescapeDataString((string)context.GetRouteValue("name")!);
        if (!store.RemoveLabel(issue, name, ApiUser)) throw new EmulatorHttpException(404, "Label does not exist");
        return Reply(context, Locked(() => LabelsOf(issue)));
    }

    async Task AddAssigneesAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        store.Assign(issue, EmulatorReplies.Strings(body, "assignees"), ApiUser);
        await Reply(context, Locked(() => store.Json.Issue(issue)), 201);
    }

    async Task CreateCommentAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var comment = store.Comment(issue, EmulatorReplies.Required(body, "body"), ApiUser);
        await Reply(context, Locked(() => store.Json.Comment(comment, issue)), 201);
    }

    async Task AddBlockedByAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var blockerId = body["issue_id"] is JsonValue value && value.TryGetValue<long>(out var id)
            ? id
            : throw EmulatorStore.Invalid("Invalid request.\n\n\"issue_id\" wasn't supplied.");
        var blocker = store.FindIssueById(blockerId) ?? throw EmulatorStore.Invalid($"Validation Failed: issue {blockerId} does not exist");
        store.AddBlockedBy(issue, blocker, ApiUser);
        await Reply(context, Locked(() => store.Json.Issue(blocker)), 201);
    }

    Task RemoveBlockedByAsync(HttpContext context)
    {
        var issue = FindIssue(context);
        var blockerId = long.Parse((string)context.GetRouteValue("issueId")!, CultureInfo.InvariantCulture);
        var blocker = store.FindIssueById(blockerId) ?? throw EmulatorStore.NotFound();
        if (!store.RemoveBlockedBy(issue, blocker, ApiUser)) throw EmulatorStore.NotFound();
        return Reply(context, Locked(() => store.Json.Issue(blocker)));
    }

    async Task UpdateMilestoneAsync(HttpContext context)
    {
        var milestone = FindMilestone(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        DateTimeOffset? dueOn = EmulatorReplies.Optional(body, "due_on") is { } due
            ? DateTimeOffset.Parse(due, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        store.UpdateMilestone(milestone, EmulatorReplies.Optional(body, "title"), EmulatorReplies.Optional(body, "state"),
            EmulatorReplies.Optional(body, "description"), dueOn, ApiUser);
        await Reply(context, Locked(() => store.Json.Milestone(milestone)));
    }

    // Lookups and replies shared by the route handlers.

    EmulatedRepository FindRepository(HttpContext context) =>
        store.FindRepository((string)context.GetRouteValue("owner")!, (string)context.GetRouteValue("repo")!);

    EmulatedIssue FindIssue(HttpContext context) => store.FindIssue(FindRepository(context), RouteInt(context, "number"));

    EmulatedMilestone FindMilestone(HttpContext context) => store.FindMilestone(FindRepository(context), RouteInt(context, "milestone"));

    static int RouteInt(HttpContext context, string name) =>
        int.Parse((string)context.GetRouteValue(name)!, CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="read"/> under the state lock, materialised, so JSON is never built from state mid-change.</summary>
    T Locked<T>(Func<T> read)
    {
        lock (store.Gate) return read();
    }

    IReadOnlyList<JsonNode> LockedList(Func<IEnumerable<JsonNode>> read)
    {
        lock (store.Gate) return [.. read()];
    }

    JsonArray LabelsOf(EmulatedIssue issue) => new([.. issue.Labels.Select(l => (JsonNode)store.Json.Label(l, issue.Repository))]);

    static Task Reply(HttpContext context, JsonNode body, int status = 200) => EmulatorReplies.JsonAsync(context, body, status);

    Task Page(HttpContext context, IReadOnlyList<JsonNode> items, Func<JsonArray, int, JsonNode>? wrap = null) =>
        EmulatorReplies.PageAsync(context, store.Json.ApiRoot, items, wrap);
}

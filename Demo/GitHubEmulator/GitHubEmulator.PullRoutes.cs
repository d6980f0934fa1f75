using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.GitHubEmulator;

public sealed partial class GitHubEmulator
{
    const string Pull = Repo + "/pulls/{number:int}";

    void MapPullRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Repo + "/pulls", ListPullRequestsAsync);
        routes.MapPost(Repo + "/pulls", CreatePullRequestAsync);
        routes.MapGet(Pull, context => Reply(context, Locked(() => store.Json.PullRequest(FindPullRequest(context)))));
        routes.MapGet(Pull + "/files", context => Page(context, LockedList(() =>
        {
            var pull = FindPullRequest(context);
            return pull.Files.Select(f => EmulatorJson.PullRequestFile(f, EmulatorStore.Sha(pull.HeadSha, f.Filename)));
        })));
        routes.MapGet(Pull + "/reviews", context => Page(context, LockedList(() =>
        {
            var pull = FindPullRequest(context);
            return pull.Reviews.Select(r => store.Json.Review(r, pull));
        })));
        routes.MapPut(Pull + "/merge", MergeAsync);
        routes.MapGet(Repo + "/commits/{ref}/check-runs", ListCheckRunsAsync);
        routes.MapPost(Repo + "/git/refs", CreateRefAsync);
        routes.MapGet(Repo + "/git/ref/{**ref}", GetRefAsync);
    }

    Task ListPullRequestsAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var query = context.Request.Query;
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "open";
        var head = query["head"].ToString();
        var @base = query["base"].ToString();
        var pulls = LockedList(() => repository.Issues.Values
            .Select(i => i.PullRequest).OfType<EmulatedPullRequest>()
            .Where(p => state == "all" || p.Issue.State == state)
            .Where(p => head.Length == 0 || head == $"{repository.Owner}:{p.Head}")
            .Where(p => @base.Length == 0 || @base == p.Base)
            .OrderByDescending(p => p.Issue.Number)
            .Select(store.Json.PullRequest));
        return Page(context, pulls);
    }

    async Task CreatePullRequestAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var head = EmulatorReplies.Required(body, "head");
        if (head.Contains(':', StringComparison.Ordinal)) head = head[(head.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var draft = body["draft"] is JsonValue d && d.TryGetValue<bool>(out var isDraft) && isDraft;
        var pull = store.OpenPullRequest(repository, EmulatorReplies.Required(body, "title"), head, EmulatorReplies.Required(body, "base"),
            EmulatorReplies.Optional(body, "body"), draft, ApiUser);
        await Reply(context, Locked(() => store.Json.PullRequest(pull)), 201);
    }

    async Task MergeAsync(HttpContext context)
    {
        var pull = FindPullRequest(context);
        var body = context.Request.ContentLength is 0 ? new JsonObject() : await EmulatorReplies.ReadObjectAsync(context);
        store.Merge(pull, EmulatorReplies.Optional(body, "sha"), EmulatorReplies.Optional(body, "merge_method") ?? "merge", ApiUser);
        await Reply(context, Locked(() => new JsonObject
        {
            ["sha"] = pull.MergeCommitSha,
            ["merged"] = true,
            ["message"] = "Pull Request successfully merged",
        }));
    }

    Task ListCheckRunsAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var gitRef = Uri.UnescapeDataString((string)context.GetRouteValue("ref")!);
        var runs = LockedList(() =>
        {
            var sha = ResolveSha(repository, gitRef);
            var pulls = repository.Issues.Values.Select(i => i.PullRequest).OfType<EmulatedPullRequest>().Where(p => p.HeadSha == sha).ToList();
            return repository.CheckRuns.Where(r => r.HeadSha == sha).Select(r => store.Json.CheckRun(r, repository, pulls));
        });
        return Page(context, runs, (page, total) => new JsonObject { ["total_count"] = total, ["check_runs"] = page });
    }

    /// <summary>A commit sha as is; a branch, tag or full ref through the repository's refs.</summary>
    static string ResolveSha(EmulatedRepository repository, string gitRef)
    {
        foreach (var candidate in new[] { gitRef, $"refs/{gitRef}", $"refs/heads/{gitRef}", $"refs/tags/{gitRef}" })
            if (repository.Refs.TryGetValue(candidate, out var sha)) return sha;
        return gitRef;
    }

    async Task CreateRefAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var fullRef = EmulatorReplies.Required(body, "ref");
        var sha = store.CreateRef(repository, fullRef, EmulatorReplies.Required(body, "sha"));
        await Reply(context, EmulatorJson.GitRef(fullRef, sha, store.Json.ApiRoot, repository), 201);
    }

    Task GetRefAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var fullRef = "refs/" + Uri.UnescapeDataString((string)context.GetRouteValue("ref")!);
        var sha = Locked(() => repository.Refs.GetValueOrDefault(fullRef)) ?? throw EmulatorStore.NotFound();
        return Reply(context, EmulatorJson.GitRef(fullRef, sha, store.Json.ApiRoot, repository));
    }

    EmulatedPullRequest FindPullRequest(HttpContext context) => store.FindPullRequest(FindRepository(context), RouteInt(context, "number"));
}

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
        routes.MapGet(Pull, async context =>
        {
            await SyncGitAsync();
            await Reply(context, Locked(() => store.Json.PullRequest(FindPullRequest(context))));
        });
        routes.MapGet(Pull + "/files", async context =>
        {
            await SyncGitAsync();
            await Page(context, LockedList(() =>
            {
                var pull = FindPullRequest(context);
                return pull.Files.Select(f => EmulatorJson.PullRequestFile(f, EmulatorStore.Sha(pull.HeadSha, f.Filename)));
            }));
        });
        routes.MapGet(Pull + "/reviews", context => Page(context, LockedList(() =>
        {
            var pull = FindPullRequest(context);
            return pull.Reviews.Select(r => store.Json.Review(r, pull));
        })));
        routes.MapPost(Pull + "/reviews", CreateReviewAsync);
        routes.MapPut(Pull + "/merge", MergeAsync);
        routes.MapGet(Repo + "/commits/{ref}/check-runs", ListCheckRunsAsync);
        routes.MapPost(Repo + "/git/refs", CreateRefAsync);
        routes.MapGet(Repo + "/git/ref/{**ref}", GetRefAsync);
    }

    async Task ListPullRequestsAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        await SyncGitAsync();
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
        await Page(context, pulls);
    }

    async Task CreatePullRequestAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        var body = await EmulatorReplies.ReadObjectAsync(context);
        var head = EmulatorReplies.Required(body, "head");
        if (head.Contains(':', StringComparison.Ordinal)) head = head[(head.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var draft = body["draft"] is JsonValue d && d.TryGetValue<bool>(out var isDraft) && isDraft;
        var title = EmulatorReplies.Required(body, "title");
        var @base = EmulatorReplies.Required(body, "base");
        await SyncGitAsync();
        var pull = repository.GitPath is { } bare
            ? await OpenGitPullRequestAsync(repository, bare, title, head, @base, EmulatorReplies.Optional(body, "body"), draft)
            : store.OpenPullRequest(repository, title, head, @base, EmulatorReplies.Optional(body, "body"), draft, ApiUser);
        await Reply(context, Locked(() => store.Json.PullRequest(pull)), 201);
    }

    /// <summary>Opens a pull request on what git holds: the head branch must exist and be ahead; files come from <c>git diff base...head</c>.</summary>
    async Task<EmulatedPullRequest> OpenGitPullRequestAsync(
        EmulatedRepository repository, string bare, string title, string head, string @base, string? body, bool draft)
    {
        var (headSha, baseSha) = Locked(() => (repository.Refs.GetValueOrDefault($"refs/heads/{head}"), repository.Refs.GetValueOrDefault($"refs/heads/{@base}")));
        if (baseSha is null) throw EmulatorStore.Invalid($"Validation Failed: base '{@base}' does not exist");
        if (headSha is null) throw EmulatorStore.Invalid($"Validation Failed: head '{head}' does not exist");
        var ahead = (await EmulatorGit.RunAsync(bare, ["rev-list", "--count", $"{baseSha}..{headSha}"])).Trim();
        if (ahead == "0") throw EmulatorStore.Invalid($"Validation Failed: No commits between {@base} and {head}");
        var files = await EmulatorGitRepository.DiffAsync(bare, baseSha, headSha);
        var mergeable = await EmulatorGitRepository.MergesCleanlyAsync(bare, baseSha, headSha);
        return store.OpenPullRequest(repository, title, head, @base, body, draft, ApiUser, files, headSha, mergeable);
    }

    async Task MergeAsync(HttpContext context)
    {
        var pull = FindPullRequest(context);
        var body = context.Request.ContentLength is 0 ? new JsonObject() : await EmulatorReplies.ReadObjectAsync(context);
        await MergeCoreAsync(pull, EmulatorReplies.Optional(body, "sha"), EmulatorReplies.Optional(body, "merge_method") ?? "merge", ApiUser);
        await Reply(context, Locked(() => new JsonObject
        {
            ["sha"] = pull.MergeCommitSha,
            ["merged"] = true,
            ["message"] = "Pull Request successfully merged",
        }));
    }

    /// <summary>
    /// Merges in memory, or for a git-backed repository for real: a squash commit (title <c>"{title} (#n)"</c>) or a merge
    /// commit pushed to the base branch of the bare repository, then a sync that announces that push.
    /// </summary>
    async Task MergeCoreAsync(EmulatedPullRequest pull, string? expectedHeadSha, string method, string actor)
    {
        var repository = pull.Issue.Repository;
        await SyncGitAsync();
        if (repository.GitPath is not { } bare)
        {
            store.Merge(pull, expectedHeadSha, method, actor);
            return;
        }
        await gitMerge.WaitAsync();
        try
        {
            store.CheckMergeable(pull, expectedHeadSha, method);
            if (method == "rebase") throw EmulatorStore.Invalid("Validation Failed: the emulator merges git-backed pull requests by merge or squash only");
            var (number, title, head, @base, headSha, author) = Locked(() => (pull.Issue.Number, pull.Issue.Title, pull.Head, pull.Base, pull.HeadSha, pull.Issue.Author));
            var message = method == "squash" ? $"{title} (#{number})" : $"Merge pull request #{number} from {repository.Owner}/{head}\n\n{title}";
            var mergeSha = await EmulatorGitRepository.MergeAsync(bare, @base, headSha, method, message, author);
            store.Merge(pull, expectedHeadSha: null, method, actor, mergeSha);
        }
        finally
        {
            gitMerge.Release();
        }
        await SyncGitAsync();
    }

    async Task CreateReviewAsync(HttpContext context)
    {
        var body = await EmulatorReplies.ReadObjectAsync(context);
        await SyncGitAsync();
        var pull = FindPullRequest(context);
        var verdict = EmulatorReplies.Optional(body, "event");
        var state = verdict switch
        {
            null or "" => "PENDING",
            "APPROVE" => "APPROVED",
            "REQUEST_CHANGES" => "CHANGES_REQUESTED",
            "COMMENT" => "COMMENTED",
            _ => throw EmulatorStore.Invalid($"Validation Failed: event '{verdict}' is not APPROVE, REQUEST_CHANGES or COMMENT"),
        };
        var text = EmulatorReplies.Optional(body, "body");
        if (state is "CHANGES_REQUESTED" or "COMMENTED" && string.IsNullOrEmpty(text))
            throw EmulatorStore.Invalid($"Validation Failed: body is required when event is {verdict}");
        var review = store.Review(pull, state, ApiUser, EmulatorReplies.Optional(body, "commit_id"), text);
        await Reply(context, Locked(() => store.Json.Review(review, pull)));
    }

    async Task ListCheckRunsAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        await SyncGitAsync();
        var gitRef = Uri.UnescapeDataString((string)context.GetRouteValue("ref")!);
        var runs = LockedList(() =>
        {
            var sha = ResolveSha(repository, gitRef);
            var pulls = repository.Issues.Values.Select(i => i.PullRequest).OfType<EmulatedPullRequest>().Where(p => p.HeadSha == sha).ToList();
            return repository.CheckRuns.Where(r => r.HeadSha == sha).Select(r => store.Json.CheckRun(r, repository, pulls));
        });
        await Page(context, runs, (page, total) => new JsonObject { ["total_count"] = total, ["check_runs"] = page });
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
        var sha = EmulatorReplies.Required(body, "sha");
        await SyncGitAsync();
        if (repository.GitPath is { } bare)
            await CreateGitRefAsync(repository, bare, fullRef, sha);
        else
            store.CreateRef(repository, fullRef, sha);
        await Reply(context, EmulatorJson.GitRef(fullRef, sha, store.Json.ApiRoot, repository), 201);
    }

    /// <summary><c>git update-ref</c> in the bare repository (refusing an existing ref or an unknown commit), then a sync that announces the push.</summary>
    async Task CreateGitRefAsync(EmulatedRepository repository, string bare, string fullRef, string sha)
    {
        if (!fullRef.StartsWith("refs/", StringComparison.Ordinal) || fullRef.Count(c => c == '/') < 2)
            throw EmulatorStore.Invalid("Reference name must start with 'refs/' and have at least two slashes.");
        if (Locked(() => repository.Refs.ContainsKey(fullRef))) throw EmulatorStore.Invalid("Reference already exists");
        if (sha.Length != 40 || !sha.All(Uri.IsHexDigit) || await EmulatorGit.TryRunAsync(bare, ["cat-file", "-e", sha + "^{commit}"]) is null)
            throw EmulatorStore.Invalid("Object does not exist");
        if (await EmulatorGit.TryRunAsync(bare, ["update-ref", fullRef, sha, ""]) is null) throw EmulatorStore.Invalid("Reference already exists");
        await SyncGitAsync();
    }

    async Task GetRefAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        await SyncGitAsync();
        var fullRef = "refs/" + Uri.UnescapeDataString((string)context.GetRouteValue("ref")!);
        var sha = Locked(() => repository.Refs.GetValueOrDefault(fullRef)) ?? throw EmulatorStore.NotFound();
        await Reply(context, EmulatorJson.GitRef(fullRef, sha, store.Json.ApiRoot, repository));
    }

    EmulatedPullRequest FindPullRequest(HttpContext context) => store.FindPullRequest(FindRepository(context), RouteInt(context, "number"));
}

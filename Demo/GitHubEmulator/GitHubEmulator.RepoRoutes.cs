using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.GitHubEmulator;

public sealed partial class GitHubEmulator
{
    void MapRepositoryRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Repo, async context =>
        {
            await SyncGitAsync();
            await Reply(context, Locked(() => store.Json.Repository(FindRepository(context))));
        });
        routes.MapGet(Repo + "/branches/{**branch}", GetBranchAsync);
        routes.MapGet(Repo + "/contents/{**path}", GetContentsAsync);
    }

    async Task GetBranchAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        await SyncGitAsync();
        var branch = Uri.UnescapeDataString((string)context.GetRouteValue("branch")!);
        var sha = Locked(() => repository.Refs.GetValueOrDefault($"refs/heads/{branch}")) ?? throw new EmulatorHttpException(404, "Branch not found");
        await Reply(context, store.Json.BranchInfo(repository, branch, sha));
    }

    /// <summary>A file from git (<c>ref</c> defaults to the default branch); 404 for directories, in-memory repositories and absent files.</summary>
    async Task GetContentsAsync(HttpContext context)
    {
        var repository = FindRepository(context);
        await SyncGitAsync();
        var path = Uri.UnescapeDataString((string)context.GetRouteValue("path")!);
        var gitRef = context.Request.Query["ref"].ToString() is { Length: > 0 } r ? r : Locked(() => repository.DefaultBranch);
        if (repository.GitPath is not { } bare || await EmulatorGitRepository.ReadFileAsync(bare, gitRef, path) is not { } file)
            throw EmulatorStore.NotFound();
        await Reply(context, store.Json.Contents(repository, path, gitRef, file.Sha, file.Content));
    }
}

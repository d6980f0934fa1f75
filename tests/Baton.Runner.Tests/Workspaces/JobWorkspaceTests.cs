using Baton.Runner.Tests.Infrastructure;
using Baton.Runner.Workspaces;

namespace Baton.Runner.Tests.Workspaces;

public sealed class JobWorkspaceTests : IDisposable
{
    private readonly BareRepository _remote = new();
    private readonly TempFolder _root = new();
    private readonly List<string> _log = [];

    private WorkspaceOptions Options => new() { Root = _root.Path };

    [Fact]
    public async Task Create_NewBranch_StartsFromBaseAndPushesAgentWork()
    {
        var job = Jobs.Implement(_remote.Url);
        string directory;
        BranchChanges changes;
        await using (var workspace = await JobWorkspace.CreateAsync(job, Options, _log.Add, CancellationToken.None))
        {
            directory = workspace.Directory;
            Assert.Equal(Jobs.Branch, Git.Run(workspace.RepositoryDirectory, "branch", "--show-current"));
            Assert.Equal(_remote.Head("main"), workspace.StartSha);
            File.WriteAllText(Path.Combine(workspace.RepositoryDirectory, "hello.txt"), "hello\n");

            changes = await workspace.CommitAndPushAsync("Uncommitted work", CancellationToken.None);
        }

        Assert.False(Directory.Exists(directory));
        Assert.Equal(["Uncommitted work"], _remote.SubjectsAhead(Jobs.Branch));
        Assert.Equal(_remote.Head(Jobs.Branch), changes.HeadSha);
        Assert.Equal([changes.HeadSha!], changes.Commits);
        Assert.Equal("Baton Agent <agent@baton.local>",
            Git.Run(_remote.Url, "log", "-1", "--format=%an <%ae>", Jobs.Branch));
    }

    [Fact]
    public async Task Create_BranchExists_KeepsPartialWorkAndCountsOnlyNewCommits()
    {
        _remote.PushPartialWork(Jobs.Branch, "partial.txt", "half done\n");
        var earlierHead = _remote.Head(Jobs.Branch);

        await using var workspace = await JobWorkspace.CreateAsync(Jobs.Implement(_remote.Url), Options, _log.Add,
            CancellationToken.None);
        Assert.Equal(earlierHead, workspace.StartSha);
        Assert.True(File.Exists(Path.Combine(workspace.RepositoryDirectory, "partial.txt")));
        File.WriteAllText(Path.Combine(workspace.RepositoryDirectory, "rest.txt"), "done\n");
        var changes = await workspace.CommitAndPushAsync("Finish", CancellationToken.None);

        Assert.Single(changes.Commits);
        Assert.Equal(["Finish", "Partial work from an earlier attempt"], _remote.SubjectsAhead(Jobs.Branch));
    }

    [Fact]
    public async Task CommitAndPush_NothingChanged_PushesNothing()
    {
        await using var workspace = await JobWorkspace.CreateAsync(Jobs.Implement(_remote.Url), Options, _log.Add,
            CancellationToken.None);

        var changes = await workspace.CommitAndPushAsync("Nothing", CancellationToken.None);

        Assert.Same(BranchChanges.None, changes);
        Assert.False(_remote.HasBranch(Jobs.Branch));
    }

    [Fact]
    public async Task CommitAndPush_AgentPlantedHookAndRemote_NeitherIsUsed()
    {
        await using var workspace = await JobWorkspace.CreateAsync(Jobs.Implement(_remote.Url), Options, _log.Add,
            CancellationToken.None);
        var repo = workspace.RepositoryDirectory;
        var marker = _root.Combine("hook-ran");
        var hook = Path.Combine(repo, ".git", "hooks", "pre-push");
        File.WriteAllText(hook, $"#!/bin/sh\ntouch {marker}\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Git.Run(repo, "remote", "set-url", "origin", _root.Combine("elsewhere.git"));
        File.WriteAllText(Path.Combine(repo, "hello.txt"), "hello\n");

        await workspace.CommitAndPushAsync("Work", CancellationToken.None);

        Assert.False(File.Exists(marker));
        Assert.True(_remote.HasBranch(Jobs.Branch));
    }

    [Fact]
    public async Task ReadQuestion_FileOrSymlink_ReadsOnlyARealFile()
    {
        await using var workspace = await JobWorkspace.CreateAsync(Jobs.Implement(_remote.Url), Options, _log.Add,
            CancellationToken.None);
        Assert.Null(workspace.ReadQuestion());
        var baton = Directory.CreateDirectory(Path.Combine(workspace.RepositoryDirectory, ".baton"));
        var secret = _root.Combine("secret.txt");
        File.WriteAllText(secret, "TOP SECRET");
        File.CreateSymbolicLink(Path.Combine(baton.FullName, "question.md"), secret);

        Assert.Null(workspace.ReadQuestion());

        File.Delete(Path.Combine(baton.FullName, "question.md"));
        File.WriteAllText(Path.Combine(baton.FullName, "question.md"), "Which colour?\n");
        Assert.Equal("Which colour?", workspace.ReadQuestion());
    }

    [Fact]
    public async Task Create_CloneFails_DeletesFolderAndClassifies()
    {
        var job = Jobs.Implement(_root.Combine("does-not-exist.git"));

        var error = await Assert.ThrowsAsync<GitCommandException>(() =>
            JobWorkspace.CreateAsync(job, Options, _log.Add, CancellationToken.None));

        Assert.Equal(FailureClasses.Permanent, error.FailureClass);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
    }

    [Fact]
    public async Task Dispose_AgentLeftReadOnlyFolder_StillDeletes()
    {
        var workspace = await JobWorkspace.CreateAsync(Jobs.Implement(_remote.Url), Options, _log.Add,
            CancellationToken.None);
        var locked = Directory.CreateDirectory(Path.Combine(workspace.RepositoryDirectory, "locked"));
        File.WriteAllText(Path.Combine(locked.FullName, "f.txt"), "x");
        locked.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserExecute;

        await workspace.DisposeAsync();

        Assert.False(Directory.Exists(workspace.Directory));
    }

    public void Dispose()
    {
        _remote.Dispose();
        _root.Dispose();
    }
}

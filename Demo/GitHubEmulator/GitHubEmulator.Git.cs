using System.Collections.Concurrent;

namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// The git-backed side: for each emulated repository with a bare repository at <c>{gitRoot}/{owner}/{repo}.git</c>,
/// branches, files and merges are git's. A watcher reads the refs every <see cref="GitPollInterval"/> (and every API
/// call touching them reads them first), announces pushes, and runs <see cref="CiScript"/> on each new branch head.
/// </summary>
public sealed partial class GitHubEmulator
{
    /// <summary>The sender of CI webhooks.</summary>
    public const string CiActor = "github-actions[bot]";

    readonly SemaphoreSlim gitSync = new(1, 1);
    readonly SemaphoreSlim gitMerge = new(1, 1);
    readonly CancellationTokenSource stopping = new();
    readonly List<Task> ciRuns = [];
    readonly ConcurrentDictionary<(string Repository, string Ref, string Sha), string> pushers = new();
    Task? gitWatcher;

    /// <summary>Where bare repositories are looked for, or null (everything in memory).</summary>
    public string? GitRoot { get; private set; }

    /// <summary>How often the watcher reads the bare repositories' refs; 200 ms by default.</summary>
    public TimeSpan GitPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The last error the watcher met (it keeps polling), or null after a clean pass.</summary>
    public Exception? GitWatchError { get; private set; }

    /// <summary>Decides each CI run on a new branch head: an outcome (a string such as <c>"failure"</c> will do) or null for "no CI".</summary>
    public Func<EmulatedCiRun, EmulatedCiOutcome?>? CiScript { get; set; }

    /// <summary>How long a scripted CI run takes (on <see cref="Clock"/>); 300 ms by default.</summary>
    public TimeSpan CiDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The check run's (and workflow's) name; <c>ci</c> by default.</summary>
    public string CiCheckName { get; set; } = "ci";

    /// <summary>
    /// Backs every emulated repository that has a bare repository at <c>{gitRoot}/{owner}/{repo}.git</c> (now or later) with
    /// git, and starts watching their refs once the emulator is started.
    /// </summary>
    public void UseGitRepositories(string gitRoot)
    {
        if (GitRoot is not null) throw new InvalidOperationException($"The emulator already uses {GitRoot}.");
        GitRoot = Path.GetFullPath(gitRoot);
        StartGitWatcher();
    }

    /// <summary>Reads every bare repository's refs now: announces pushes and starts CI for what moved since the last read.</summary>
    public async Task SyncGitAsync(CancellationToken cancellationToken = default)
    {
        if (GitRoot is not { } root) return;
        await gitSync.WaitAsync(cancellationToken);
        try
        {
            foreach (var repository in store.BindGitRepositories(root))
                await SyncRepositoryAsync(repository);
        }
        finally
        {
            gitSync.Release();
        }
    }

    /// <summary>Completes once every scripted CI run started so far has finished (or been abandoned at shutdown).</summary>
    public async Task CiIdleAsync()
    {
        Task[] running;
        lock (ciRuns) running = [.. ciRuns];
        await Task.WhenAll(running);
    }

    /// <summary>How many scripted CI runs <paramref name="branch"/> has had.</summary>
    public int CiRunCount(string repository, string branch)
    {
        lock (store.Gate) return store.Repository(repository).CiRuns.GetValueOrDefault(branch);
    }

    /// <summary>
    /// Commits <paramref name="files"/> (path → text; null deletes) to <paramref name="branch"/> of the bare repository
    /// (creating the branch from the default one), pushes, and syncs: a person's or runner's push. Returns the new head sha.
    /// </summary>
    public async Task<string> CommitFilesAsync(string repository, string branch, IReadOnlyDictionary<string, string?> files,
        string message = "Update files", string by = DefaultPerson)
    {
        var bare = BareRepository(repository);
        var sha = await EmulatorGitRepository.CommitFilesAsync(bare, branch, files, message, by);
        pushers[(store.Repository(repository).FullName, $"refs/heads/{branch}", sha)] = by;
        await SyncGitAsync();
        return sha;
    }

    /// <summary>A file's text on a branch, tag or sha of the bare repository, or null when absent.</summary>
    public async Task<string?> ReadFileAsync(string repository, string gitRef, string path) =>
        await EmulatorGitRepository.ReadFileAsync(BareRepository(repository), gitRef, path) is { } file
            ? System.Text.Encoding.UTF8.GetString(file.Content)
            : null;

    string BareRepository(string repository)
    {
        store.Repository(repository);
        return GitRoot is { } root && store.BindGitRepositories(root).FirstOrDefault(r => string.Equals(r.FullName, repository, StringComparison.OrdinalIgnoreCase)) is { GitPath: { } bare }
            ? bare
            : throw new InvalidOperationException($"{repository} has no bare repository (call UseGitRepositories with the folder holding {repository}.git).");
    }

    async Task SyncRepositoryAsync(EmulatedRepository repository)
    {
        var bare = repository.GitPath!;
        var (defaultBranch, refs) = await EmulatorGitRepository.ReadRefsAsync(bare);
        var (known, synced) = store.GitState(repository);

        var pushes = new List<GitPush>();
        if (synced)
        {
            var defaultSha = refs.GetValueOrDefault($"refs/heads/{defaultBranch}");
            foreach (var name in known.Keys.Union(refs.Keys).Order(StringComparer.Ordinal))
            {
                var before = known.GetValueOrDefault(name) ?? EmulatorGitRepository.ZeroSha;
                var after = refs.GetValueOrDefault(name) ?? EmulatorGitRepository.ZeroSha;
                if (before == after) continue;
                var commits = await EmulatorGitRepository.PushedCommitsAsync(bare, before, after, name == $"refs/heads/{defaultBranch}" ? null : defaultSha);
                pushers.TryRemove((repository.FullName, name, after), out var pusher);
                pushes.Add(new GitPush(name, before, after, commits, pusher ?? ApiUser));
            }
        }

        var updates = new List<GitPullUpdate>();
        foreach (var (pull, head, @base) in store.PullsBehind(repository, refs))
            updates.Add(new GitPullUpdate(pull, head, @base, await EmulatorGitRepository.DiffAsync(bare, @base, head),
                await EmulatorGitRepository.MergesCleanlyAsync(bare, @base, head)));

        store.ApplyGit(repository, defaultBranch, refs, pushes, updates);
        foreach (var push in pushes.Where(p => p.Ref.StartsWith("refs/heads/", StringComparison.Ordinal) && p.After != EmulatorGitRepository.ZeroSha))
            StartCi(repository, push.Ref["refs/heads/".Length..], push.After);
    }

    /// <summary>Asks <see cref="CiScript"/> about the new head; if it answers, shows the check in progress and completes it after <see cref="CiDelay"/>.</summary>
    void StartCi(EmulatedRepository repository, string branch, string sha)
    {
        if (CiScript is not { } script) return;
        var run = new EmulatedCiRun(repository.FullName, branch, sha, store.CiRun(repository, branch, record: false));
        if (script(run) is not { } outcome) return;
        store.CiRun(repository, branch, record: true);
        var name = CiCheckName;
        var delay = CiDelay;
        var (title, summary) = outcome.Describe(run, name);
        store.StartCheck(repository, sha, name);
        var completing = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, Clock, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var completed = store.CompleteCheck(repository, sha, name, outcome.Conclusion, CiActor, branch, title, summary);
            store.AnnounceWorkflowRun(repository, completed, branch, run.Run, CiActor);
        });
        lock (ciRuns) ciRuns.Add(completing);
    }

    void StartGitWatcher()
    {
        if (GitRoot is null || app is null || gitWatcher is not null) return;
        gitWatcher = Task.Run(WatchGitAsync);
    }

    async Task WatchGitAsync()
    {
        using var timer = new PeriodicTimer(GitPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await SyncGitAsync(stopping.Token);
                    GitWatchError = null;
                }
                catch (Exception failed) when (failed is EmulatorGitException or IOException or InvalidOperationException)
                {
                    GitWatchError = failed; // keep watching: a repository half-created by a test must not stop it
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task StopGitAsync()
    {
        await stopping.CancelAsync();
        if (gitWatcher is not null) await gitWatcher;
        await CiIdleAsync();
    }
}

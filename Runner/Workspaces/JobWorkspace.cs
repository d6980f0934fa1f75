using Baton.Runner.Protocol;

namespace Baton.Runner.Workspaces;

/// <summary>What one attempt added to the job's branch.</summary>
/// <param name="HeadSha">The pushed head, or null when nothing was pushed.</param>
/// <param name="Commits">The SHAs this attempt added, oldest first.</param>
public sealed record BranchChanges(string? HeadSha, IReadOnlyList<string> Commits)
{
    public static readonly BranchChanges None = new(null, []);
}

/// <summary>A fresh clone for one job, in its own folder that is always deleted on dispose (success, failure or
/// cancellation), so nothing of one job (or its credential) is left for the next.</summary>
/// <remarks>
/// Layout: <c>&lt;root&gt;/&lt;job&gt;-&lt;random&gt;/repo</c> is the clone the agent works in;
/// <c>.../private</c> holds the prompt and a copy of the clone's git config, outside the agent's working tree so that
/// neither ends up in a commit. <c>.baton/</c> (the agent's question and review files) is excluded through
/// <c>.git/info/exclude</c> for the same reason.
/// </remarks>
public sealed class JobWorkspace : IAsyncDisposable
{
    /// <summary>Where the agent asks a person for a decision; relative to the clone.</summary>
    public const string QuestionFile = ".baton/question.md";

    /// <summary>Where a reviewer writes its verdict; relative to the clone.</summary>
    public const string ReviewFile = ".baton/review.json";

    private const int MaxAgentFileChars = 64 * 1024;

    private readonly AgentJob _job;
    private readonly GitCli _git;
    private readonly Action<string> _log;

    private JobWorkspace(string directory, AgentJob job, WorkspaceOptions options, Action<string> log)
    {
        Directory = directory;
        _job = job;
        _log = log;
        _git = new GitCli(options, RepositoryDirectory, job.CloneUrl, job.Credential, log);
        Options = options;
    }

    public string Directory { get; }

    /// <summary>The clone: the agent's working directory.</summary>
    public string RepositoryDirectory => Path.Combine(Directory, "repo");

    /// <summary>Runner-only files (the prompt); not inside the clone.</summary>
    public string PrivateDirectory => Path.Combine(Directory, "private");

    /// <summary>The branch head before the agent ran; commits after it are this attempt's.</summary>
    public string StartSha { get; private set; } = "";

    private WorkspaceOptions Options { get; }

    private string ConfigSnapshot => Path.Combine(PrivateDirectory, "git-config");

    /// <summary>Clones <see cref="AgentJob.CloneUrl"/> and checks out <see cref="AgentJob.Branch"/>: the remote branch
    /// when it exists (partial work of an earlier, stale attempt is kept), else a new branch from
    /// <see cref="AgentJob.BaseBranch"/>.</summary>
    /// <exception cref="GitCommandException">When cloning or checking out fails; the folder is deleted by then.</exception>
    public static async Task<JobWorkspace> CreateAsync(AgentJob job, WorkspaceOptions options, Action<string> log,
        CancellationToken cancellationToken)
    {
        RequireSafeRefName(job.Branch);
        RequireSafeRefName(job.BaseBranch);
        System.IO.Directory.CreateDirectory(options.Root);
        var name = $"{new string(job.JobId.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}-{Guid.NewGuid():N}";
        var directory = Path.Combine(options.Root, name);
        // Owner-only: other users on the machine must not read the clone of a private repository.
        if (OperatingSystem.IsWindows())
            System.IO.Directory.CreateDirectory(directory);
        else
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var workspace = new JobWorkspace(directory, job, options, log);
        try
        {
            await workspace.PrepareAsync(cancellationToken);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync();
            throw;
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(PrivateDirectory);
        var clone = new GitCli(Options, Directory, _job.CloneUrl, _job.Credential, _log);
        await clone.RunAsync(["clone", "--no-checkout", "--", _job.CloneUrl, "repo"], cancellationToken, authenticate: true);

        var remoteBranch = $"refs/remotes/origin/{_job.Branch}";
        var exists = await _git.TryRunAsync(["rev-parse", "--verify", "--quiet", remoteBranch], cancellationToken);
        var startPoint = exists.ExitCode == 0 ? remoteBranch : $"refs/remotes/origin/{_job.BaseBranch}";
        _log(exists.ExitCode == 0
            ? $"Continuing the existing branch {_job.Branch}"
            : $"Creating branch {_job.Branch} from {_job.BaseBranch}");
        await _git.RunAsync(["checkout", "--no-track", "-B", _job.Branch, startPoint], cancellationToken);
        StartSha = await _git.RunAsync(["rev-parse", "HEAD"], cancellationToken);

        // Agents commit too, so the clone needs an identity of its own; the machine's global one is not ours to use.
        await _git.RunAsync(["config", "user.name", Options.AuthorName], cancellationToken);
        await _git.RunAsync(["config", "user.email", Options.AuthorEmail], cancellationToken);
        await File.AppendAllTextAsync(Path.Combine(RepositoryDirectory, ".git", "info", "exclude"), "\n/.baton/\n",
            cancellationToken);
        File.Copy(GitConfigPath, ConfigSnapshot);
    }

    private string GitConfigPath => Path.Combine(RepositoryDirectory, ".git", "config");

    /// <summary>The agent's question for a person, or null when it did not ask.</summary>
    public string? ReadQuestion() => ReadAgentFile(QuestionFile);

    /// <summary>The reviewer's raw verdict file, or null when it wrote none.</summary>
    public string? ReadReview() => ReadAgentFile(ReviewFile);

    /// <summary>Reads a file the agent wrote, refusing symbolic links: a link to a file outside the clone would make
    /// us post that file's content (a key, a token) to the issue tracker.</summary>
    private string? ReadAgentFile(string relativePath)
    {
        var path = Path.Combine(RepositoryDirectory, relativePath);
        var folder = new DirectoryInfo(Path.GetDirectoryName(path)!);
        var file = new FileInfo(path);
        if (!file.Exists)
            return null;
        if (folder.LinkTarget is not null || file.LinkTarget is not null)
        {
            _log($"Ignoring {relativePath}: it is a symbolic link");
            return null;
        }
        var text = File.ReadAllText(path);
        text = text.Length > MaxAgentFileChars ? text[..MaxAgentFileChars] : text;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>Commits whatever the agent left uncommitted, then pushes the branch if this attempt added commits.</summary>
    /// <remarks>The clone's git config is first restored from the copy taken before the agent ran, so a remote URL,
    /// <c>insteadOf</c> rewrite or credential helper the agent planted cannot redirect the push or the credential.</remarks>
    public async Task<BranchChanges> CommitAndPushAsync(string commitMessage, CancellationToken cancellationToken)
    {
        File.Delete(GitConfigPath);
        File.Copy(ConfigSnapshot, GitConfigPath);

        await _git.RunAsync(["add", "--all"], cancellationToken);
        var status = await _git.RunAsync(["status", "--porcelain"], cancellationToken);
        if (status.Length > 0)
            await _git.RunAsync(["commit", "--no-verify", "--quiet", "-m", commitMessage], cancellationToken);

        var head = await _git.RunAsync(["rev-parse", "HEAD"], cancellationToken);
        var list = await _git.RunAsync(["rev-list", "--reverse", $"{StartSha}..{head}"], cancellationToken);
        var commits = list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (commits.Length == 0)
            return BranchChanges.None;

        await _git.RunAsync(["push", "--quiet", "origin", $"HEAD:refs/heads/{_job.Branch}"], cancellationToken,
            authenticate: true);
        _log($"Pushed {commits.Length} commit(s) to {_job.Branch}, head {head}");
        return new BranchChanges(head, commits);
    }

    /// <summary>Branch names come from the host, but they end up in git's argument list: a leading '-' would be read
    /// as an option.</summary>
    private static void RequireSafeRefName(string name)
    {
        if (name.Length == 0 || name.StartsWith('-') || name.Contains("..", StringComparison.Ordinal) ||
            name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
            throw new ArgumentException($"'{name}' is not a usable branch name.");
    }

    /// <summary>Deletes the whole job folder. Agents may leave read-only folders behind, so permissions are restored
    /// first when a plain delete is refused.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            DeleteTree(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            MakeWritable(new DirectoryInfo(Directory));
            DeleteTree(Directory);
        }
        return ValueTask.CompletedTask;
    }

    private static void DeleteTree(string directory)
    {
        if (System.IO.Directory.Exists(directory))
            System.IO.Directory.Delete(directory, recursive: true);
    }

    private static void MakeWritable(DirectoryInfo directory)
    {
        if (!OperatingSystem.IsWindows())
            directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var child in directory.EnumerateDirectories())
            if (child.LinkTarget is null)
                MakeWritable(child);
    }
}

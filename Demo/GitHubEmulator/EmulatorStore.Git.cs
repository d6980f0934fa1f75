namespace Baton.Demo.GitHubEmulator;

/// <summary>A ref that moved in a bare repository since the last sync; <see cref="EmulatorGitRepository.ZeroSha"/> stands for "absent".</summary>
sealed record GitPush(string Ref, string Before, string After, IReadOnlyList<EmulatedCommit> Commits, string Pusher);

/// <summary>An open pull request's state read from git: its branch heads, files and whether it merges cleanly.</summary>
sealed record GitPullUpdate(EmulatedPullRequest Pull, string HeadSha, string BaseSha, IReadOnlyList<EmulatedFile> Files, bool Mergeable);

sealed partial class EmulatorStore
{
    /// <summary>Binds every repository whose bare repository exists under <paramref name="gitRoot"/> and returns the bound ones.</summary>
    public List<EmulatedRepository> BindGitRepositories(string gitRoot)
    {
        lock (Gate)
        {
            foreach (var repository in repositories.Values.Where(r => r.GitPath is null))
            {
                var bare = Path.Combine(gitRoot, repository.Owner, repository.Name + ".git");
                if (Directory.Exists(bare)) repository.GitPath = bare;
            }
            return [.. repositories.Values.Where(r => r.GitPath is not null)];
        }
    }

    /// <summary>The refs as last read from git, and whether they were read at all.</summary>
    public (Dictionary<string, string> Refs, bool Synced) GitState(EmulatedRepository repository)
    {
        lock (Gate) return (new Dictionary<string, string>(repository.Refs, StringComparer.Ordinal), repository.GitSynced);
    }

    /// <summary>Open pull requests whose head or base branch is not where <paramref name="refs"/> says it is.</summary>
    public List<(EmulatedPullRequest Pull, string HeadSha, string BaseSha)> PullsBehind(EmulatedRepository repository, IReadOnlyDictionary<string, string> refs)
    {
        lock (Gate)
        {
            var behind = new List<(EmulatedPullRequest, string, string)>();
            foreach (var pull in repository.Issues.Values.Select(i => i.PullRequest).OfType<EmulatedPullRequest>().Where(p => p.Issue.IsOpen && !p.Merged))
                if (refs.TryGetValue($"refs/heads/{pull.Head}", out var head) && refs.TryGetValue($"refs/heads/{pull.Base}", out var @base)
                    && (head != pull.HeadSha || @base != pull.BaseSha))
                    behind.Add((pull, head, @base));
            return behind;
        }
    }

    /// <summary>
    /// Takes git's refs as the repository's, then announces each push (<c>push</c>, then <c>pull_request.synchronize</c>
    /// for the open pull requests on that branch), as GitHub does. The first read of a repository announces nothing.
    /// </summary>
    public void ApplyGit(EmulatedRepository repository, string defaultBranch, IReadOnlyDictionary<string, string> refs,
        IReadOnlyList<GitPush> pushes, IReadOnlyList<GitPullUpdate> updates)
    {
        lock (Gate)
        {
            repository.DefaultBranch = defaultBranch;
            repository.Refs.Clear();
            foreach (var (name, sha) in refs) repository.Refs[name] = sha;
            var announce = repository.GitSynced;
            repository.GitSynced = true;

            var pending = updates.ToList();
            foreach (var push in announce ? pushes : [])
            {
                Announce("push", null, repository, push.Pusher, p => Json.Push(p, repository, push.Ref, push.Before, push.After, push.Commits, push.Pusher));
                foreach (var update in pending.Where(u => $"refs/heads/{u.Pull.Head}" == push.Ref).ToList())
                {
                    var before = update.Pull.HeadSha;
                    Update(update);
                    pending.Remove(update);
                    if (before != update.HeadSha)
                        AnnouncePullRequest(update.Pull, "synchronize", push.Pusher, p =>
                        {
                            p["before"] = before;
                            p["after"] = update.HeadSha;
                        });
                }
            }
            foreach (var update in pending) Update(update);
        }

        static void Update(GitPullUpdate update)
        {
            var pull = update.Pull;
            pull.HeadSha = update.HeadSha;
            pull.BaseSha = update.BaseSha;
            pull.Mergeable = update.Mergeable;
            pull.Files.Clear();
            pull.Files.AddRange(update.Files);
        }
    }

    /// <summary>The number the next scripted CI run of <paramref name="branch"/> gets; <paramref name="record"/> counts it.</summary>
    public int CiRun(EmulatedRepository repository, string branch, bool record)
    {
        lock (Gate)
        {
            var next = repository.CiRuns.GetValueOrDefault(branch) + 1;
            if (record) repository.CiRuns[branch] = next;
            return next;
        }
    }
}

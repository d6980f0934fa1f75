using System.Globalization;
using System.Text;

namespace Baton.Demo.GitHubEmulator;

/// <summary>A pushed commit as <c>push</c> payloads list it.</summary>
public sealed record EmulatedCommit(
    string Sha, string Tree, string Message, string Timestamp, string AuthorName, string AuthorEmail, string CommitterName, string CommitterEmail,
    IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Modified);

/// <summary>What the emulator reads from and does to a bare repository, through <see cref="EmulatorGit"/>.</summary>
static class EmulatorGitRepository
{
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <summary>The default branch (what <c>HEAD</c> names) and every branch and tag: full ref name → commit sha.</summary>
    public static async Task<(string DefaultBranch, Dictionary<string, string> Refs)> ReadRefsAsync(string bare)
    {
        var head = await EmulatorGit.TryRunAsync(bare, ["symbolic-ref", "--short", "HEAD"]);
        var listed = await EmulatorGit.RunAsync(bare, ["for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", "refs/heads", "refs/tags"]);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in listed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            refs[parts[0]] = parts.Length > 2 && parts[2].Length == 40 ? parts[2] : parts[1]; // annotated tags: the commit
        }
        return (head?.Trim() is { Length: > 0 } branch ? branch : "main", refs);
    }

    /// <summary>The pull request's files: <c>git diff base...head</c> with statuses, line counts and each file's patch.</summary>
    public static async Task<List<EmulatedFile>> DiffAsync(string bare, string baseSha, string headSha)
    {
        var range = $"{baseSha}...{headSha}";
        var statuses = await EmulatorGit.RunAsync(bare, ["-c", "core.quotepath=off", "diff", "--no-renames", "--name-status", range]);
        var counts = await EmulatorGit.RunAsync(bare, ["-c", "core.quotepath=off", "diff", "--no-renames", "--numstat", range]);
        var patches = Patches(await EmulatorGit.RunAsync(bare, ["-c", "core.quotepath=off", "diff", "--no-renames", range]));

        var lines = new Dictionary<string, (int Added, int Deleted)>(StringComparer.Ordinal);
        foreach (var line in counts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 3);
            lines[parts[2]] = (Number(parts[0]), Number(parts[1]));
        }
        var files = new List<EmulatedFile>();
        foreach (var line in statuses.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 2);
            var status = parts[0][0] switch { 'A' => "added", 'D' => "removed", 'M' => "modified", _ => "changed" };
            var (added, deleted) = lines.GetValueOrDefault(parts[1]);
            files.Add(new EmulatedFile(parts[1], status, added, deleted, patches.GetValueOrDefault(parts[1])));
        }
        return files;

        static int Number(string text) => int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n : 0; // "-" for binary files
    }

    /// <summary>Splits a unified diff into per-file patches (from the first <c>@@</c>), keyed by path.</summary>
    static Dictionary<string, string> Patches(string diff)
    {
        var patches = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in diff.Split("diff --git ", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = section.Split('\n');
            var path = lines.FirstOrDefault(l => l.StartsWith("+++ b/", StringComparison.Ordinal))?[6..]
                ?? lines.FirstOrDefault(l => l.StartsWith("--- a/", StringComparison.Ordinal))?[6..];
            var hunk = Array.FindIndex(lines, l => l.StartsWith("@@", StringComparison.Ordinal));
            if (path is null || hunk < 0) continue;
            patches[path] = string.Join('\n', lines[hunk..]).TrimEnd('\n');
        }
        return patches;
    }

    /// <summary>Whether <paramref name="headSha"/> merges into <paramref name="baseSha"/> without conflicts (<c>git merge-tree</c>).</summary>
    public static async Task<bool> MergesCleanlyAsync(string bare, string baseSha, string headSha) =>
        await EmulatorGit.TryRunAsync(bare, ["merge-tree", "--write-tree", "--name-only", baseSha, headSha]) is not null;

    /// <summary>The commits a push brought: <c>before..after</c>, or for a new branch those not on the default branch (oldest first, at most 20).</summary>
    public static async Task<List<EmulatedCommit>> PushedCommitsAsync(string bare, string before, string after, string? defaultBranchSha)
    {
        if (after == ZeroSha) return [];
        string[] range = before != ZeroSha ? [$"{before}..{after}"] : defaultBranchSha is null || defaultBranchSha == after ? ["-1", after] : [after, "^" + defaultBranchSha];
        var log = await EmulatorGit.RunAsync(bare, ["log", "--reverse", "--max-count=20", "--format=%H%x1f%T%x1f%cI%x1f%an%x1f%ae%x1f%cn%x1f%ce%x1f%B%x1e", .. range]);
        var commits = new List<EmulatedCommit>();
        foreach (var record in log.Split('\x1e', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = record.Split('\x1f');
            if (f.Length < 8) continue;
            var changes = await EmulatorGit.RunAsync(bare, ["-c", "core.quotepath=off", "diff-tree", "--no-commit-id", "--no-renames", "--name-status", "-r", "--root", f[0]]);
            var byStatus = changes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).ToList();
            List<string> With(char status) => [.. byStatus.Where(p => p[0][0] == status).Select(p => p[1])];
            commits.Add(new EmulatedCommit(f[0], f[1], f[7].Trim(), f[2], f[3], f[4], f[5], f[6], With('A'), With('D'), With('M')));
        }
        return commits;
    }

    /// <summary>The blob at <paramref name="path"/> on <paramref name="gitRef"/> (a branch, tag or sha): its sha and bytes, or null.</summary>
    public static async Task<(string Sha, byte[] Content)?> ReadFileAsync(string bare, string gitRef, string path)
    {
        if (gitRef.StartsWith('-') || gitRef.Contains(':', StringComparison.Ordinal)) return null;
        var sha = (await EmulatorGit.TryRunAsync(bare, ["rev-parse", "--verify", "--quiet", $"{gitRef}:{path.TrimStart('/')}"]))?.Trim();
        if (string.IsNullOrEmpty(sha)) return null;
        if ((await EmulatorGit.RunAsync(bare, ["cat-file", "-t", sha])).Trim() != "blob") return null;
        return (sha, await EmulatorGit.RunBytesAsync(bare, ["cat-file", "blob", sha]));
    }

    /// <summary>
    /// Merges <paramref name="headSha"/> into <paramref name="baseBranch"/> in a throw-away clone and pushes the result:
    /// squash (one commit titled <paramref name="title"/>, listing the squashed commits, as GitHub does) or a merge commit.
    /// Returns the new commit's sha; an <see cref="EmulatorHttpException"/> 405 on conflicts or when the base moved.
    /// </summary>
    public static async Task<string> MergeAsync(string bare, string baseBranch, string headSha, string method, string title, string author)
    {
        var work = Path.Combine(Path.GetTempPath(), "baton-emulator-merge-" + Guid.NewGuid().ToString("N"));
        try
        {
            await EmulatorGit.RunAsync(Path.GetTempPath(), ["clone", "--quiet", "--branch", baseBranch, bare, work]);
            string[] identity = ["-c", "user.name=GitHub", "-c", "user.email=noreply@github.com"];
            var authorArgument = $"--author={author} <{EmulatorJson.UserId(author)}+{author}@users.noreply.github.com>";
            try
            {
                if (method == "squash")
                {
                    var squashed = await EmulatorGit.RunAsync(work, ["log", "--reverse", "--format=* %s", $"HEAD..{headSha}"]);
                    await EmulatorGit.RunAsync(work, [.. identity, "merge", "--squash", headSha]);
                    await EmulatorGit.RunAsync(work, [.. identity, "commit", "--quiet", "--allow-empty", authorArgument, "-m", title, "-m", squashed.Trim()]);
                }
                else
                {
                    await EmulatorGit.RunAsync(work, [.. identity, "merge", "--no-ff", "--quiet", "-m", title, headSha]);
                }
            }
            catch (EmulatorGitException conflict) when (conflict.ExitCode is not null)
            {
                throw new EmulatorHttpException(405, "Pull Request is not mergeable");
            }
            try
            {
                await EmulatorGit.RunAsync(work, ["push", "--quiet", "origin", $"HEAD:refs/heads/{baseBranch}"]);
            }
            catch (EmulatorGitException rejected) when (rejected.ExitCode is not null)
            {
                throw new EmulatorHttpException(405, "Base branch was modified. Review and try the merge again.");
            }
            return (await EmulatorGit.RunAsync(work, ["rev-parse", "HEAD"])).Trim();
        }
        finally
        {
            DeleteDirectory(work);
        }
    }

    /// <summary>
    /// Commits <paramref name="files"/> (path → text; null deletes) on <paramref name="branch"/> (created from the default
    /// branch if missing) in a throw-away clone and pushes it, as a person or runner would. Returns the new commit's sha.
    /// </summary>
    public static async Task<string> CommitFilesAsync(string bare, string branch, IReadOnlyDictionary<string, string?> files, string message, string by)
    {
        var work = Path.Combine(Path.GetTempPath(), "baton-emulator-commit-" + Guid.NewGuid().ToString("N"));
        try
        {
            await EmulatorGit.RunAsync(Path.GetTempPath(), ["clone", "--quiet", bare, work]);
            var exists = await EmulatorGit.TryRunAsync(work, ["rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{branch}"]) is not null;
            await EmulatorGit.RunAsync(work, exists ? ["checkout", "--quiet", branch] : ["checkout", "--quiet", "-b", branch]);
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(work, path);
                if (content is null)
                {
                    await EmulatorGit.RunAsync(work, ["rm", "--quiet", "--ignore-unmatch", "--", path]);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await EmulatorGit.RunAsync(work, ["add", "--", path]);
            }
            await EmulatorGit.RunAsync(work,
                ["-c", $"user.name={by}", "-c", $"user.email={EmulatorJson.UserId(by)}+{by}@users.noreply.github.com", "commit", "--quiet", "--allow-empty", "-m", message]);
            await EmulatorGit.RunAsync(work, ["push", "--quiet", "origin", $"HEAD:refs/heads/{branch}"]);
            return (await EmulatorGit.RunAsync(work, ["rev-parse", "HEAD"])).Trim();
        }
        finally
        {
            DeleteDirectory(work);
        }
    }

    static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path)) return;
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal); // git writes read-only object files
        Directory.Delete(path, recursive: true);
    }
}

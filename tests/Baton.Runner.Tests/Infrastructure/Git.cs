using System.Diagnostics;

namespace Baton.Runner.Tests.Infrastructure;

/// <summary>Synchronous git for arranging and inspecting test repositories.</summary>
internal static class Git
{
    public static string Run(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["GIT_AUTHOR_NAME"] = startInfo.Environment["GIT_COMMITTER_NAME"] = "Test";
        startInfo.Environment["GIT_AUTHOR_EMAIL"] = startInfo.Environment["GIT_COMMITTER_EMAIL"] = "test@example.com";
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result.Trim();
    }
}

/// <summary>A temp folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("baton-runner-tests-").FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The "remote": a bare repository with one commit on <c>main</c>.</summary>
internal sealed class BareRepository : IDisposable
{
    private readonly TempFolder _folder = new();

    public BareRepository()
    {
        Git.Run(_folder.Path, "init", "--quiet", "--bare", "--initial-branch=main", "origin.git");
        var seed = _folder.Combine("seed");
        Git.Run(_folder.Path, "clone", "--quiet", Url, "seed");
        Git.Run(seed, "checkout", "--quiet", "-b", "main");
        File.WriteAllText(System.IO.Path.Combine(seed, "README.md"), "# Demo\n");
        Git.Run(seed, "add", "README.md");
        Git.Run(seed, "commit", "--quiet", "-m", "Initial commit");
        Git.Run(seed, "push", "--quiet", "origin", "main");
    }

    public string Url => _folder.Combine("origin.git");

    public bool HasBranch(string branch) =>
        Git.Run(Url, "branch", "--list", branch).Length > 0;

    public string Head(string branch) => Git.Run(Url, "rev-parse", $"refs/heads/{branch}");

    /// <summary>Commit subjects on <paramref name="branch"/> that are not on main, newest first.</summary>
    public IReadOnlyList<string> SubjectsAhead(string branch) =>
        Git.Run(Url, "log", "--format=%s", $"main..{branch}").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string FileOnBranch(string branch, string path) => Git.Run(Url, "show", $"{branch}:{path}");

    /// <summary>Pushes a commit to <paramref name="branch"/> as an earlier attempt would have.</summary>
    public void PushPartialWork(string branch, string file, string content)
    {
        var work = _folder.Combine("partial-" + Guid.NewGuid().ToString("N"));
        Git.Run(_folder.Path, "clone", "--quiet", Url, work);
        Git.Run(work, "checkout", "--quiet", "-b", branch);
        File.WriteAllText(System.IO.Path.Combine(work, file), content);
        Git.Run(work, "add", file);
        Git.Run(work, "commit", "--quiet", "-m", "Partial work from an earlier attempt");
        Git.Run(work, "push", "--quiet", "origin", branch);
    }

    public void Dispose() => _folder.Dispose();
}

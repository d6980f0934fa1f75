using System.Diagnostics;
using System.Globalization;

namespace Baton.Demo;

/// <summary>The demo's git side: a local bare repository per emulated repository (what runners clone and push to),
/// and the scripted agent the generic <c>command</c> adapter runs.</summary>
static class DemoRepository
{
    /// <summary>Creates <c>{root}/{owner}/{repo}.git</c> with one commit on <c>main</c>.</summary>
    public static async Task CreateAsync(string root, string repository)
    {
        var bare = Path.Combine(root, repository + ".git");
        var seed = Path.Combine(root, ".seed");
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(seed);
        await GitAsync(bare, "init", "--bare", "--initial-branch=main");
        await GitAsync(seed, "init", "--initial-branch=main");
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), $"# {repository}\n\nThe Baton demo's repository.\n");
        await GitAsync(seed, "add", "README.md");
        await GitAsync(seed, "-c", "user.name=Demo", "-c", "user.email=demo@baton.local", "commit", "-m", "Initial commit");
        await GitAsync(seed, "push", bare, "main");
        Directory.Delete(seed, recursive: true);
    }

    /// <summary>Works for a moment, then writes a note about the issue; the runner commits and pushes it.</summary>
    public static string AgentScript(double seconds) =>
        $"sleep {seconds.ToString("0.###", CultureInfo.InvariantCulture)}; mkdir -p notes; " +
        "echo \"Issue #$BATON_ISSUE_NUMBER, implemented by the demo's scripted agent.\" > \"notes/issue-$BATON_ISSUE_NUMBER.md\"";

    static async Task GitAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var error = git.StandardError.ReadToEndAsync();
        await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        if (git.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {(await error).Trim()}");
    }
}

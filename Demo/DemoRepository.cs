using Baton.Demo.GitHubEmulator;

namespace Baton.Demo;

/// <summary>The demo's git side: a local bare repository per emulated repository (what runners clone and push to).</summary>
static class DemoRepository
{
    /// <summary>Creates <c>{root}/{owner}/{repo}.git</c> with one commit on <c>main</c>.</summary>
    public static async Task CreateAsync(string root, string repository)
    {
        var bare = Path.Combine(root, repository + ".git");
        var seed = Path.Combine(root, ".seed");
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(seed);
        await EmulatorGit.RunAsync(bare, ["init", "--bare", "--initial-branch=main"]);
        await EmulatorGit.RunAsync(seed, ["init", "--initial-branch=main"]);
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), $"# {repository}\n\nThe Baton demo's repository.\n");
        await EmulatorGit.RunAsync(seed, ["add", "README.md"]);
        await EmulatorGit.RunAsync(seed, ["-c", "user.name=Demo", "-c", "user.email=demo@baton.local", "commit", "-m", "Initial commit"]);
        await EmulatorGit.RunAsync(seed, ["push", bare, "main"]);
        Directory.Delete(seed, recursive: true);
    }
}

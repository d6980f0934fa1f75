using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Demo;
using Baton.Demo.GitHubEmulator;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Emulator;

/// <summary>
/// A started emulator backed by a real bare repository (<c>{gitRoot}/acme/widgets.git</c>, one commit on <c>main</c>),
/// a webhook receiver, an <see cref="HttpClient"/> calling the REST API as Baton does, and a runner-like workspace that
/// clones, commits and pushes with the git CLI.
/// </summary>
public sealed class EmulatorGitFixture : IAsyncDisposable
{
    public const string Repo = "acme/widgets";
    public const string Secret = "git emulator webhook secret";

    EmulatorGitFixture(string root, GitHubEmulator emulator, WebhookReceiver receiver)
    {
        Root = root;
        Emulator = emulator;
        Receiver = receiver;
        Http = new HttpClient { BaseAddress = emulator.BaseUrl };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ghs_emulator-token");
        Http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        Http.DefaultRequestHeaders.UserAgent.ParseAdd("Baton-tests");
    }

    public string Root { get; }

    public string Bare => Path.Combine(Root, "git", Repo + ".git");

    public GitHubEmulator Emulator { get; }

    public WebhookReceiver Receiver { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorGitFixture> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "baton-emulator-git-" + Guid.NewGuid().ToString("N"));
        await DemoRepository.CreateAsync(Path.Combine(root, "git"), Repo);
        var emulator = new GitHubEmulator { CiDelay = TimeSpan.FromMilliseconds(50) };
        emulator.UseGitRepositories(Path.Combine(root, "git"));
        await emulator.StartAsync();
        emulator.CreateRepository(Repo);
        await emulator.SyncGitAsync();
        var receiver = await WebhookReceiver.StartAsync();
        emulator.WebhookUrl = receiver.Url;
        emulator.WebhookSecret = Secret;
        return new EmulatorGitFixture(root, emulator, receiver);
    }

    /// <summary>What a runner does: clone, check out <paramref name="branch"/> (new or existing), write files, commit, push. Returns the new head sha.</summary>
    public async Task<string> PushAsync(string branch, string message, params (string Path, string Content)[] files)
    {
        var work = Path.Combine(Root, "work-" + Guid.NewGuid().ToString("N"));
        await GitAsync(Root, "clone", "--quiet", Bare, work);
        var exists = (await GitAsync(work, "branch", "--remotes", "--list", $"origin/{branch}")).Length > 0;
        await GitAsync(work, exists ? ["checkout", "--quiet", branch] : ["checkout", "--quiet", "-b", branch]);
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
            await File.WriteAllTextAsync(Path.Combine(work, path), content);
            await GitAsync(work, "add", "--", path);
        }
        await GitAsync(work, "-c", "user.name=Agent", "-c", "user.email=agent@baton.local", "commit", "--quiet", "-m", message);
        await GitAsync(work, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
        return (await GitAsync(work, "rev-parse", "HEAD")).Trim();
    }

    /// <summary>Runs git with an argument list in <paramref name="directory"/> and returns stdout; fails the test on a non-zero exit.</summary>
    public static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        var error = git.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await git.WaitForExitAsync(timeout.Token);
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {await error}");
        return await output;
    }

    public Task<string> BareGitAsync(params string[] arguments) => GitAsync(Bare, arguments);

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    public async Task<(int Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone());
    }

    /// <summary>Opens a pull request through the API, as Baton does, and returns its number and head sha.</summary>
    public async Task<(int Number, string HeadSha)> OpenPullRequestAsync(string head, string title = "Add notes")
    {
        var (status, pull) = await SendJsonAsync(HttpMethod.Post, "repos/acme/widgets/pulls", new { title, head, @base = "main", body = "Closes #1" });
        Assert.Equal(201, status);
        return (pull.GetProperty("number").GetInt32(), pull.GetProperty("head").GetProperty("sha").GetString()!);
    }

    /// <summary>Every webhook received so far (after waiting for those caused so far), checked to be signed with <see cref="Secret"/>.</summary>
    public async Task<IReadOnlyList<(string Event, JsonElement Body)>> WebhooksAsync()
    {
        await Emulator.WebhooksDeliveredAsync();
        var received = Receiver.Received;
        Assert.All(received, r => Assert.True(GitHubSignature.IsValid(r.Body, r.Signature, [Secret]), $"{r.Event} is not signed"));
        return [.. received.Select(r => (r.Event, JsonDocument.Parse(r.Body).RootElement.Clone()))];
    }

    /// <summary>Waits (up to 30 s: the watcher runs several git processes per pass, slow on a loaded machine) until a
    /// received webhook matches: for what the ref watcher sends on its own.</summary>
    public async Task<JsonElement> WaitForWebhookAsync(string gitHubEvent, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var (name, body) in await WebhooksAsync())
                if (name == gitHubEvent && match(body)) return body;
            Assert.True(DateTime.UtcNow < deadline, $"No matching {gitHubEvent} webhook within 30 s; received: {string.Join(", ", Receiver.Received.Select(r => r.Event))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
        await Receiver.DisposeAsync();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(Root, recursive: true);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Baton.Demo.GitHubEmulator;

/// <summary>A request the emulator refuses the way GitHub would: a status and GitHub's <c>message</c>.</summary>
public sealed class EmulatorHttpException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// All state behind one lock. Every mutation records what GitHub would record (issue events) and announces what GitHub
/// would announce (a webhook), inside the lock, so deliveries leave in the order the changes happened.
/// </summary>
sealed partial class EmulatorStore(TimeProvider clock, WebhookDispatcher webhooks)
{
    readonly Dictionary<string, EmulatedRepository> repositories = new(StringComparer.OrdinalIgnoreCase);
    long lastId = 100_000;

    public object Gate { get; } = new();

    public EmulatorJson Json { get; set; } = new("http://127.0.0.1");

    public DateTimeOffset Now => clock.GetUtcNow();

    public long NextId() => Interlocked.Increment(ref lastId);

    /// <summary>A commit sha derived from its inputs, so runs are repeatable.</summary>
    public static string Sha(params string[] parts) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));

    public EmulatedRepository Repository(string fullName)
    {
        lock (Gate)
        {
            if (repositories.TryGetValue(fullName, out var existing)) return existing;
            var parts = fullName.Split('/');
            if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
                throw new ArgumentException($"A repository is named owner/repo, not '{fullName}'.", nameof(fullName));
            var repository = new EmulatedRepository(NextId(), parts[0], parts[1]);
            repository.Refs[$"refs/heads/{repository.DefaultBranch}"] = Sha(fullName, "initial commit");
            repositories[fullName] = repository;
            return repository;
        }
    }

    public EmulatedRepository FindRepository(string owner, string repo)
    {
        lock (Gate)
            return repositories.TryGetValue($"{owner}/{repo}", out var found) ? found : throw NotFound();
    }

    public EmulatedIssue FindIssue(EmulatedRepository repository, int number)
    {
        lock (Gate)
            return repository.Issues.TryGetValue(number, out var issue) ? issue : throw NotFound();
    }

    public EmulatedIssue? FindIssueById(long id)
    {
        lock (Gate)
            return repositories.Values.SelectMany(r => r.Issues.Values).FirstOrDefault(i => i.Id == id);
    }

    public EmulatedPullRequest FindPullRequest(EmulatedRepository repository, int number)
    {
        lock (Gate)
            return repository.Issues.TryGetValue(number, out var issue) && issue.PullRequest is { } pull ? pull : throw NotFound();
    }

    public EmulatedMilestone FindMilestone(EmulatedRepository repository, int number)
    {
        lock (Gate)
            return repository.Milestones.TryGetValue(number, out var milestone) ? milestone : throw NotFound();
    }

    public static EmulatorHttpException NotFound() => new(404, "Not Found");

    public static EmulatorHttpException Invalid(string message) => new(422, message);

    EmulatedLabel LabelNamed(EmulatedRepository repository, string name)
    {
        if (repository.Labels.TryGetValue(name, out var label)) return label;
        var color = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(name)))[..6];
        return repository.Labels[name] = new EmulatedLabel(NextId(), name, color);
    }

    /// <summary>Queues a webhook for <paramref name="repository"/>; <paramref name="fill"/> adds the event's own fields.</summary>
    /// <remarks>A null <paramref name="action"/> leaves the field out, as in <c>push</c> payloads.</remarks>
    void Announce(string gitHubEvent, string? action, EmulatedRepository repository, string sender, Action<JsonObject> fill)
    {
        var payload = action is null ? new JsonObject() : new JsonObject { ["action"] = action };
        fill(payload);
        payload["repository"] = Json.Repository(repository);
        payload["sender"] = Json.User(sender);
        webhooks.Enqueue(gitHubEvent, action ?? "", payload);
    }
}

using System.Text;
using System.Text.Json;
using Baton.Failures;

namespace Baton.Activities.GitHub;

public sealed partial class GitHubClient
{
    /// <summary>The repository (<c>GET /repos/{o}/{r}</c>), conditional on repeat, for its <c>default_branch</c>.</summary>
    public Task<GitHubRepository> GetRepositoryAsync(string owner, string repo, CancellationToken cancellationToken = default) =>
        GetAsync<GitHubRepository>(RepoPath(owner, repo), Repository(owner, repo), cancellationToken);

    /// <summary>
    /// A text file's content at <paramref name="gitRef"/> (a branch, tag or commit; null for the default branch), or null
    /// when there is no such file (404). The read is conditional, so re-reading an unchanged <c>.baton.yml</c> per pull
    /// request costs no rate limit. A directory, a symlink or submodule, or a file over GitHub's 1 MB contents limit is a
    /// <see cref="FailureClass.Permanent"/> failure: none of them is text Baton could use.
    /// </summary>
    public async Task<string?> GetFileContentAsync(
        string owner, string repo, string path, string? gitRef = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var escapedPath = string.Join('/', path.Trim('/').Split('/').Select(Escape));
        var uri = $"{RepoPath(owner, repo)}/contents/{escapedPath}" + (string.IsNullOrEmpty(gitRef) ? "" : $"?ref={Escape(gitRef)}");
        var answer = await SendAsync(new Call(HttpMethod.Get, uri, Repository(owner, repo), Expected: [404]), cancellationToken);
        if (answer.Status == 404) return null;

        using var document = JsonDocument.Parse(answer.Body);
        if (document.RootElement.ValueKind == JsonValueKind.Array)
            throw new GitHubApiException(FailureClass.Permanent, $"{Repository(owner, repo)}:{path} is a directory, not a file.", answer.Status);
        var file = Deserialize<ContentFile>(answer);
        if (file.Type != "file")
            throw new GitHubApiException(FailureClass.Permanent, $"{Repository(owner, repo)}:{path} is a {file.Type}, not a file.", answer.Status);
        if (file.Encoding != "base64" || file.Content is null)
            throw new GitHubApiException(FailureClass.Permanent,
                $"{Repository(owner, repo)}:{path} is {file.Size} bytes, too large for the contents API (encoding '{file.Encoding}').", answer.Status);
        try
        {
            // GitHub wraps the base64 at 60 columns; Convert skips the line breaks.
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(file.Content));
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (FormatException exception)
        {
            throw new GitHubApiException(FailureClass.Permanent, $"{Repository(owner, repo)}:{path} came back with invalid base64.", answer.Status, inner: exception);
        }
    }
}

using System.Text;
using Baton.Runner.Processes;

namespace Baton.Runner.Workspaces;

/// <summary>Runs the real <c>git</c> CLI in one workspace, handing the job's credential to git only for the commands
/// that talk to the remote.</summary>
/// <remarks>
/// The credential travels as an <c>http.&lt;url&gt;.extraHeader</c> set through <c>GIT_CONFIG_COUNT</c>/<c>_KEY_0</c>/
/// <c>_VALUE_0</c> in the child's environment: unlike a token in the URL or a <c>-c</c> argument it never shows in
/// <c>ps</c>, in <c>.git/config</c> or in our logged command lines, and scoping it to the clone URL keeps git from
/// sending it to any other host. Every command also runs with <c>core.hooksPath=/dev/null</c> and
/// <c>core.fsmonitor=false</c>: the agent can write to <c>.git/</c>, and a hook or fsmonitor command it planted would
/// otherwise run inside our push, next to the credential.
/// </remarks>
internal sealed class GitCli(WorkspaceOptions options, string workingDirectory, string remoteUrl, string? credential,
    Action<string> log)
{
    private static readonly string[] SafetyArguments = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

    /// <summary>Runs git and returns its trimmed stdout.</summary>
    /// <exception cref="GitCommandException">On a non-zero exit or a time-out.</exception>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        bool authenticate = false)
    {
        var result = await TryRunAsync(arguments, cancellationToken, authenticate);
        if (result.ExitCode != 0 || result.TimedOut)
            throw new GitCommandException(arguments[0], result);
        return result.StandardOutput.Trim();
    }

    /// <summary>Runs git and returns the result whatever the exit code (for questions like "does this ref exist").</summary>
    public Task<ProcessResult> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        bool authenticate = false)
    {
        log("git " + string.Join(' ', arguments));
        var spec = new ProcessSpec(options.GitExecutable, [.. SafetyArguments, .. arguments], workingDirectory)
        {
            Environment = Environment(authenticate),
            // Inherited GIT_DIR, GIT_WORK_TREE or GIT_CONFIG_* would point git somewhere else entirely.
            RemoveInherited = name => name.StartsWith("GIT_", StringComparison.Ordinal),
            Timeout = options.GitTimeout,
            OnLine = line => log("git: " + line),
        };
        return ProcessRunner.RunAsync(spec, cancellationToken);
    }

    private Dictionary<string, string> Environment(bool authenticate)
    {
        var environment = new Dictionary<string, string>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["LC_ALL"] = "C",
        };
        if (authenticate && credential is not null && IsHttp(remoteUrl))
        {
            environment["GIT_CONFIG_COUNT"] = "1";
            environment["GIT_CONFIG_KEY_0"] = $"http.{remoteUrl}.extraHeader";
            environment["GIT_CONFIG_VALUE_0"] = AuthorizationHeader(credential);
        }
        return environment;
    }

    /// <summary>The header GitHub (and most git hosts) accept for a token over HTTPS: Basic auth with the token as the
    /// password.</summary>
    internal static string AuthorizationHeader(string credential) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + credential));

    private static bool IsHttp(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A git command failed; <see cref="FailureClass"/> says how the attempt should be classified.</summary>
public sealed class GitCommandException(string command, ProcessResult result)
    : Exception($"git {command} failed ({(result.TimedOut ? "timed out" : $"exit {result.ExitCode}")}): {Tail(result.StandardError)}")
{
    public ProcessResult Result { get; } = result;

    public string FailureClass { get; } = Classify(result);

    private static string Classify(ProcessResult result)
    {
        if (result.TimedOut)
            return FailureClasses.Timeout;
        var error = result.StandardError;
        if (Contains(error, "Authentication failed", "could not read Username", "terminal prompts disabled",
                "HTTP 401", "HTTP 403", "returned error: 401", "returned error: 403"))
            return FailureClasses.AuthFailed;
        if (Contains(error, "returned error: 429"))
            return FailureClasses.RateLimited;
        if (Contains(error, "does not appear to be a git repository", "Repository not found", "returned error: 404",
                "not a valid branch name", "not found in upstream", "' does not exist"))
            return FailureClasses.Permanent;
        return FailureClasses.Transient;
    }

    private static bool Contains(string text, params string[] needles) =>
        needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static string Tail(string text) => text.Length <= 500 ? text.Trim() : text[^500..].Trim();
}

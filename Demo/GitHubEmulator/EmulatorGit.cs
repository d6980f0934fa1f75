using System.Diagnostics;
using System.Text;

namespace Baton.Demo.GitHubEmulator;

/// <summary>git failed: the command, its exit code (null when it timed out) and what it printed on stderr.</summary>
public sealed class EmulatorGitException(string message, int? exitCode, string standardError) : Exception(message)
{
    public int? ExitCode { get; } = exitCode;

    public string StandardError { get; } = standardError;
}

/// <summary>Runs the real <c>git</c> CLI with an argument list (never a shell string), a timeout and clear errors.</summary>
static class EmulatorGit
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs git in <paramref name="workingDirectory"/> and returns stdout as UTF-8 text.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await RunBytesAsync(workingDirectory, arguments, cancellationToken));

    /// <summary>Like <see cref="RunAsync"/> but null instead of an exception when git exits with a non-zero code (e.g. "no such ref").</summary>
    public static async Task<string?> TryRunAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunAsync(workingDirectory, arguments, cancellationToken);
        }
        catch (EmulatorGitException failed) when (failed.ExitCode is not null)
        {
            return null;
        }
    }

    /// <summary>Runs git and returns stdout as bytes (file contents are not always text).</summary>
    public static async Task<byte[]> RunBytesAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["LC_ALL"] = "C";

        var command = "git " + string.Join(' ', arguments);
        using var git = Process.Start(start) ?? throw new EmulatorGitException($"{command}: git could not be started.", null, "");
        git.StandardInput.Close();
        using var output = new MemoryStream();
        var reading = git.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = git.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DefaultTimeout);
        try
        {
            await git.WaitForExitAsync(timeout.Token);
            await reading;
        }
        catch (OperationCanceledException)
        {
            git.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new EmulatorGitException($"{command} timed out after {DefaultTimeout.TotalSeconds:0} s.", null, "");
        }
        var stderr = (await error).Trim();
        if (git.ExitCode != 0)
            throw new EmulatorGitException($"{command} failed with exit code {git.ExitCode}: {stderr}", git.ExitCode, stderr);
        return output.ToArray();
    }
}

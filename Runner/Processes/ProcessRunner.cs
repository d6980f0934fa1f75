using System.Diagnostics;
using System.Text;

namespace Baton.Runner.Processes;

/// <summary>What to start: an executable and an argument list (never a shell string, so nothing in a branch name or
/// an issue title is ever interpreted by a shell).</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>Variables set on top of the inherited environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Inherited variables for which this returns true are removed before <see cref="Environment"/> is
    /// applied.</summary>
    public Func<string, bool>? RemoveInherited { get; init; }

    /// <summary>Written to stdin, which is then closed; null closes stdin at once (so a CLI never waits on it).</summary>
    public string? StandardInput { get; init; }

    /// <summary>Wall-clock limit: past it the whole process tree is killed and <see cref="ProcessResult.TimedOut"/>
    /// is set.</summary>
    public TimeSpan Timeout { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Each of stdout and stderr keeps at most this many of its last characters: the end of the output is
    /// where CLIs put their result and their error.</summary>
    public int MaxCapturedChars { get; init; } = 1_000_000;

    /// <summary>Called for every line of stdout and stderr as it arrives (from two threads).</summary>
    public Action<string>? OnLine { get; init; }
}

/// <param name="ExitCode">The exit code; -1 when the process was killed after a time-out.</param>
/// <param name="ProcessId">For diagnostics (and tests reading <c>/proc</c>).</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut,
    TimeSpan Elapsed, int ProcessId);

/// <summary>Runs one child process to completion, with a time-out and cancellation that both kill the whole tree
/// (agent CLIs start shells, test runners and language servers that would otherwise outlive them).</summary>
public static class ProcessRunner
{
    /// <summary>How long to wait for stdout/stderr to reach end-of-file after the process exited: a grandchild that
    /// escaped the tree (setsid) may hold the pipes open forever.</summary>
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(5);

    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires; the tree has
    /// been killed by then.</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">When the executable cannot be started.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in spec.Arguments)
            startInfo.ArgumentList.Add(argument);
        if (spec.RemoveInherited is { } remove)
            foreach (var name in startInfo.Environment.Keys.Where(remove).ToList())
                startInfo.Environment.Remove(name);
        foreach (var (name, value) in spec.Environment)
            startInfo.Environment[name] = value;

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        var stdoutText = new StringBuilder();
        var stderrText = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, stdoutText, spec);
        var stderr = PumpAsync(process.StandardError, stderrText, spec);
        _ = FeedStandardInputAsync(process, spec.StandardInput);

        using var timeout = new CancellationTokenSource(spec.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            if (cancellationToken.IsCancellationRequested)
                throw;
            timedOut = true;
        }
        process.WaitForExit();
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(DrainWait, CancellationToken.None));
        stopwatch.Stop();
        return new ProcessResult(timedOut ? -1 : process.ExitCode, Tail(stdoutText, spec.MaxCapturedChars),
            Tail(stderrText, spec.MaxCapturedChars), timedOut,
            stopwatch.Elapsed, process.Id);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the time-out and the kill.
        }
    }

    private static async Task FeedStandardInputAsync(Process process, string? text)
    {
        try
        {
            if (text is not null)
                await process.StandardInput.WriteAsync(text);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited (or closed stdin) without reading it all: that is its business.
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder captured, ProcessSpec spec)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (captured)
            {
                captured.Append(line).Append('\n');
                if (captured.Length > spec.MaxCapturedChars * 2)
                    captured.Remove(0, captured.Length - spec.MaxCapturedChars);
            }
            spec.OnLine?.Invoke(line);
        }
    }

    private static string Tail(StringBuilder captured, int maxChars)
    {
        lock (captured)
        {
            var start = Math.Max(0, captured.Length - maxChars);
            return captured.ToString(start, captured.Length - start);
        }
    }
}

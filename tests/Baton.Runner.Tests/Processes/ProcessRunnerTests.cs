using System.Collections.Concurrent;
using Baton.Runner.Processes;

namespace Baton.Runner.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static ProcessSpec Bash(string script) => new("bash", ["-c", script], Path.GetTempPath());

    [Fact]
    public async Task Run_Script_CapturesOutputLinesAndExitCode()
    {
        var lines = new ConcurrentQueue<string>();
        var result = await ProcessRunner.RunAsync(
            Bash("read -r line; echo \"got $line\"; echo oops >&2; exit 3") with
            {
                StandardInput = "ping\n",
                OnLine = lines.Enqueue,
            },
            CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("got ping\n", result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
        Assert.False(result.TimedOut);
        Assert.Equal(["got ping", "oops"], lines.Order());
    }

    [Fact]
    public async Task Run_ArgumentWithShellCharacters_ReachesChildVerbatim()
    {
        var tricky = "$(touch /tmp/pwned); `id` 'quote\" && rm -rf /";
        var result = await ProcessRunner.RunAsync(new ProcessSpec("printf", ["%s", tricky], Path.GetTempPath()),
            CancellationToken.None);

        Assert.Equal(tricky + "\n", result.StandardOutput);
    }

    [Fact]
    public async Task Run_EnvironmentFilter_RemovesInheritedAndSetsOwn()
    {
        Environment.SetEnvironmentVariable("BATON_TEST_SECRET__X", "hidden");
        var result = await ProcessRunner.RunAsync(
            Bash("echo \"[$BATON_TEST_SECRET__X][$MINE]\"") with
            {
                RemoveInherited = name => name.Contains("__", StringComparison.Ordinal),
                Environment = new Dictionary<string, string> { ["MINE"] = "set" },
            },
            CancellationToken.None);

        Assert.Equal("[][set]\n", result.StandardOutput);
    }

    [Fact]
    public async Task Run_PastTimeout_KillsWholeTreeAndReportsTimedOut()
    {
        using var folder = new Infrastructure.TempFolder();
        var childPidFile = folder.Combine("child.pid");
        var result = await ProcessRunner.RunAsync(
            // Long enough for bash to start and write the child's pid on a loaded machine before it is killed.
            Bash($"sleep 300 & echo $! > {childPidFile}; wait") with { Timeout = TimeSpan.FromSeconds(3) },
            CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30));
        await AssertGoneAsync(int.Parse(File.ReadAllText(childPidFile).Trim()));
    }

    [Fact]
    public async Task Run_Cancelled_KillsTreeAndThrows()
    {
        using var folder = new Infrastructure.TempFolder();
        var childPidFile = folder.Combine("child.pid");
        using var cancel = new CancellationTokenSource();
        var run = ProcessRunner.RunAsync(Bash($"sleep 300 & echo $! > {childPidFile}; wait"), cancel.Token);
        while (!File.Exists(childPidFile) || File.ReadAllText(childPidFile).Length == 0)
            await Task.Delay(20);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertGoneAsync(int.Parse(File.ReadAllText(childPidFile).Trim()));
    }

    [Fact]
    public async Task Run_HugeOutput_KeepsOnlyTheTail()
    {
        var result = await ProcessRunner.RunAsync(
            Bash("for i in $(seq 1 5000); do echo line-$i; done") with { MaxCapturedChars = 1000 },
            CancellationToken.None);

        Assert.True(result.StandardOutput.Length <= 2000);
        Assert.EndsWith("line-5000\n", result.StandardOutput);
    }

    /// <summary>A killed child may linger as a zombie until its (also killed) parent is reaped; "gone" means no
    /// longer running.</summary>
    private static async Task AssertGoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] is "Z" or "X")
                return;
            await Task.Delay(50);
        }
        Assert.Fail($"process {pid} is still running");
    }
}

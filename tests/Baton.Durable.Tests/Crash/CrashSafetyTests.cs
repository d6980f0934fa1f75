using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Baton.Durable.Tests.Crash;

/// <summary>
/// Kill -9 a real worker process at the worst moments and check that, after a restart, every orchestration
/// completes exactly once: each step in history once, activities at least once with rising attempt numbers.
/// </summary>
public abstract class CrashSafetyTests
{
    protected abstract string Provider { get; }
    protected abstract Task<string> NewDatabaseAsync();
    const int Instances = 4, Steps = 5;

    /// <summary>The crash host's arguments (its workload runs on the Durable Task SDK over Baton's provider).</summary>
    private protected static string Run(string arguments) => arguments;

    [Theory]
    [InlineData("activity:3")]              // in the middle of an activity
    [InlineData("episode:4")]               // in the middle of an orchestration episode, before its commit
    [InlineData("after-commit:3")]          // right after an episode committed, before the worker acted on it
    [InlineData("after-activity-commit:4")] // right after an activity result committed
    public async Task Killing_the_worker_at_a_chosen_point_loses_nothing(string crashAt)
    {
        var (database, journal) = (await NewDatabaseAsync(), NewJournal());

        var crashed = await CrashHostProcess.RunAsync(Provider, database, journal, Run($"--schedule {Instances} --crash-at {crashAt}"));
        Assert.Contains("CRASH", crashed.Output);
        Assert.NotEqual(0, crashed.ExitCode);

        var restarted = await CrashHostProcess.RunAsync(Provider, database, journal, Run($"--schedule {Instances} --until-done true"));
        AssertEveryInstanceCompletedExactlyOnce(restarted, journal);
    }

    [Fact]
    public async Task Killing_the_worker_at_random_moments_loses_nothing()
    {
        var (database, journal) = (await NewDatabaseAsync(), NewJournal());
        var random = new Random(20261121);

        for (var round = 0; round < 3; round++)
        {
            var run = CrashHostProcess.Start(Provider, database, journal, Run($"--schedule {Instances} --step-delay-ms 40"));
            await run.WaitForReadyAsync();
            await Task.Delay(random.Next(100, 600));
            run.KillHard();
            await run.WaitForExitAsync();
        }

        var restarted = await CrashHostProcess.RunAsync(Provider, database, journal, Run($"--schedule {Instances} --until-done true"));
        AssertEveryInstanceCompletedExactlyOnce(restarted, journal);
    }

    [Theory]
    [InlineData("activity:1")]  // an activity that takes the process down every time it runs
    [InlineData("episode:1")]   // orchestrator code that does
    public async Task Work_that_kills_the_worker_every_time_is_quarantined_instead_of_looping(string crashAt)
    {
        var (database, journal) = (await NewDatabaseAsync(), NewJournal());
        const string poisonAfterTwo = "--Durable:MaxDequeueCount=2";

        for (var delivery = 1; delivery <= 2; delivery++)
        {
            var crashed = await CrashHostProcess.RunAsync(Provider, database, journal, Run($"--schedule 1 --crash-at {crashAt} {poisonAfterTwo}"));
            Assert.Contains("CRASH", crashed.Output);
        }

        var final = await CrashHostProcess.RunAsync(Provider, database, journal, Run($"--schedule 1 --until-done true --crash-at {crashAt} {poisonAfterTwo}"));
        Assert.DoesNotContain("CRASH", final.Output);
        var instance = Assert.Single(final.Summary());
        Assert.Equal("Failed", instance.GetProperty("status").GetString());
        Assert.Contains("PoisonMessage", instance.GetProperty("failure").GetString());
    }

    private protected void AssertEveryInstanceCompletedExactlyOnce(CrashHostProcess.Result run, string journal, int instances = Instances)
    {
        Assert.True(run.ExitCode == 0, $"the final run failed:\n{run.Output}");
        var summary = run.Summary();
        Assert.Equal(instances, summary.Count);
        foreach (var instance in summary)
        {
            var id = instance.GetProperty("id").GetString();
            Assert.Equal("Completed", instance.GetProperty("status").GetString());
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => $"done:{id}/{i}"),
                instance.GetProperty("output").EnumerateArray().Select(e => e.GetString()));
            // Each step was scheduled and completed exactly once in history, and the execution ended once.
            Assert.Equal(Steps, instance.GetProperty("scheduled").GetInt32());
            Assert.Equal(Steps, instance.GetProperty("completed").GetInt32());
            Assert.Equal(Steps, instance.GetProperty("distinctTasks").GetInt32());
            Assert.Equal(1, instance.GetProperty("finished").GetInt32());
        }

        // Activities ran at least once each (the SDK's activity context has no attempt number to check).
        var executions = ReadJournal(journal);
        Assert.Equal(instances * Steps, executions.GroupBy(parts => parts[0]).Count());
    }

    /// <summary>Every line the crash hosts journaled, from each process's own file.</summary>
    private protected static List<string[]> ReadJournal(string journal) =>
        Directory.GetFiles(Path.GetDirectoryName(journal)!, Path.GetFileName(journal) + ".*")
            .SelectMany(File.ReadAllLines).Select(line => line.Split(' ')).ToList();

    static string NewJournal() => Path.Combine(Directory.CreateTempSubdirectory("baton-crash-").FullName, "journal.log");
}

/// <summary>Runs tests/Baton.Durable.CrashHost as a real child process.</summary>
sealed class CrashHostProcess
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    CrashHostProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    void OnLine(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
        if (line == "READY") ready.TrySetResult();
    }

    public static CrashHostProcess Start(string provider, string database, string journal, string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Baton.Durable.CrashHost.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, $"--Durable:Provider={provider}", $"--Durable:ConnectionString={database}", "--journal", journal,
                     "--Durable:OrchestrationLeaseTtl=00:00:03", "--Durable:ActivityLeaseTtl=00:00:03", "--Durable:Retention:Enabled=false" })
            info.ArgumentList.Add(argument);
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)) info.ArgumentList.Add(argument);
        return new CrashHostProcess(Process.Start(info)!);
    }

    public static async Task<Result> RunAsync(string provider, string database, string journal, string arguments)
    {
        var host = Start(provider, database, journal, arguments);
        await host.WaitForExitAsync();
        return host.ToResult();
    }

    public async Task WaitForReadyAsync()
    {
        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != ready.Task) throw new InvalidOperationException("The crash host did not become ready:\n" + Output);
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    public async Task WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillHard();
            throw new TimeoutException("The crash host did not finish within 2 minutes:\n" + Output);
        }
        process.WaitForExit(); // drain the output streams
    }

    string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public Result ToResult() => new(process.ExitCode, Output);

    public sealed record Result(int ExitCode, string Output)
    {
        public List<JsonElement> Summary()
        {
            var line = Output.Split('\n').Select(l => l.TrimEnd('\r')).LastOrDefault(l => l.StartsWith("SUMMARY "))
                ?? throw new InvalidOperationException("No SUMMARY line in:\n" + Output);
            return JsonDocument.Parse(line["SUMMARY ".Length..]).RootElement.EnumerateArray().ToList();
        }
    }
}

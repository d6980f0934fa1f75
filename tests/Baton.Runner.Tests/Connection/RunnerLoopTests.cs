using Baton.Runner.Agents;
using Baton.Runner.Protocol;
using Baton.Runner.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Baton.Runner.Tests.Connection;

public sealed class RunnerLoopTests : IDisposable
{
    private const string Credential = "ghs_loopS3cret";

    private readonly BareRepository _remote = new();
    private readonly TempFolder _root = new();
    private readonly FakeRunnerConnection _host = new();

    private (RunnerLoop Loop, FakeAgent Agent) Create(string body)
    {
        var agent = new FakeAgent(body);
        var options = Options.Create(new RunnerOptions
        {
            Name = "test-runner",
            PollWait = TimeSpan.FromMilliseconds(200),
            LogFlushInterval = TimeSpan.FromMilliseconds(100),
            Workspace = { Root = _root.Path },
            Agents = { ["claude-code"] = new() { Executable = agent.Script, Environment = { ["FAKE_DUMP"] = agent.Dump } } },
        });
        var adapters = new AgentAdapters(options.Value.Agents);
        var executor = new JobExecutor(adapters, options, NullLogger<JobExecutor>.Instance);
        return (new RunnerLoop(_host, executor, adapters, options, NullLogger<RunnerLoop>.Instance), agent);
    }

    [Fact]
    public async Task Run_JobQueued_RunsItStreamsLogsAndReports()
    {
        var (loop, agent) = Create(FakeAgent.CommitGreeting + "\necho \"token is " + Credential + "\"\n" + FakeAgent.ClaudeResult());
        using var _ = agent;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var job = Jobs.Implement(_remote.Url, credential: Credential);
        _host.Enqueue(job);

        var running = loop.RunAsync(stop.Token);
        var report = await _host.Reported.Task.WaitAsync(stop.Token);
        await stop.CancelAsync();
        await running;

        Assert.Equal(["claude-code"], _host.Registration!.Agents);
        Assert.Equal(job.LeaseToken, report.LeaseToken);
        Assert.Equal(AgentOutcomeKind.Succeeded, report.Outcome.Kind);
        Assert.Equal(_remote.Head(Jobs.Branch), report.Outcome.HeadSha);
        Assert.Contains(_host.Logs, line => line.StartsWith("git clone", StringComparison.Ordinal));
        Assert.Contains(_host.Logs, line => line == "token is ***");
        Assert.DoesNotContain(_host.Logs, line => line.Contains(Credential, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("gone")]
    public async Task RunJob_HeartbeatStopsJob_KillsAgentAndReportsNothing(string answer)
    {
        var (loop, agent) = Create("echo $$ > \"$FAKE_DUMP/agent.pid\"\nsleep 300");
        using var _ = agent;
        var started = DateTime.UtcNow;
        var run = loop.RunJobAsync(Jobs.Implement(_remote.Url, wallTimeSeconds: 120), TimeSpan.FromMilliseconds(300),
            CancellationToken.None);
        while (!File.Exists(Path.Combine(agent.Dump, "agent.pid")))
            await Task.Delay(20);

        _host.HeartbeatAnswer = answer;
        await run;

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
        Assert.True(_host.HeartbeatStopped.Task.IsCompleted);
        Assert.Empty(_host.Reports);
        var pid = int.Parse(agent.Read("agent.pid").Trim());
        Assert.False(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] is not ("Z" or "X"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
        Assert.False(_remote.HasBranch(Jobs.Branch));
    }

    [Fact]
    public async Task RunJob_UnknownAgent_ReportsPermanent()
    {
        var (loop, agent) = Create("true");
        using var _ = agent;

        await loop.RunJobAsync(Jobs.Implement(_remote.Url, agent: "nonesuch"), TimeSpan.FromSeconds(5), CancellationToken.None);

        var report = Assert.Single(_host.Reports);
        Assert.Equal(FailureClasses.Permanent, report.Outcome.FailureClass);
        Assert.Contains("nonesuch", report.Outcome.Summary);
    }

    public void Dispose()
    {
        _remote.Dispose();
        _root.Dispose();
    }
}

using Baton.Runner.Protocol;
using Baton.Runner.Tests.Infrastructure;

namespace Baton.Runner.Tests.Agents;

/// <summary>opencode, codex, aider and command: their command lines and what they read from realistic output.</summary>
public sealed class OtherAdapterTests : IDisposable
{
    private readonly BareRepository _remote = new();
    private readonly TempFolder _root = new();

    private async Task<(AgentOutcome, FakeAgent)> RunAsync(string adapter, string body, AgentJob? job = null)
    {
        var agent = new FakeAgent(body);
        var outcome = await agent.Executor(adapter, _root.Path).RunAsync(
            job ?? Jobs.Implement(_remote.Url, agent: adapter) with { Model = "some/model" }, _ => { }, CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
        return (outcome, agent);
    }

    private static string[] Argv(FakeAgent agent) => agent.Read("argv").Split('\n')[..^1];

    [Fact]
    public async Task OpenCode_Success_ReadsStepsTokensAndCost()
    {
        var (outcome, agent) = await RunAsync("opencode", FakeAgent.CommitGreeting + """

            echo '{"type":"step_start","part":{"type":"step-start"}}'
            echo '{"type":"step_finish","part":{"type":"step-finish","reason":"tool-calls","cost":0.01,"tokens":{"total":1000,"input":900,"output":100}}}'
            echo '{"type":"text","part":{"type":"text","text":"Added hello.txt"}}'
            echo '{"type":"step_finish","part":{"type":"step-finish","reason":"stop","cost":0.02,"tokens":{"total":500,"input":450,"output":50}}}'
            """);
        using var _ = agent;

        Assert.Equal(AgentOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal(new AgentUsage(2, outcome.Usage!.WallSeconds, 1500, 0.03m), outcome.Usage);
        Assert.Equal("Added hello.txt", outcome.Summary);
        var argv = Argv(agent);
        Assert.Equal(["run", "--format", "json", "--model", "some/model"], argv[..5]);
        Assert.Contains("<untrusted-data boundary=", agent.Read("argv"));
    }

    [Fact]
    public async Task Codex_UsageLimit_ResourceExhausted()
    {
        var (outcome, agent) = await RunAsync("codex", """
            echo '{"type":"thread.started","thread_id":"t1"}'
            echo '{"type":"turn.failed","error":{"message":"usage_limit_reached: try again in 3 days"}}'
            exit 1
            """);
        using var _ = agent;

        Assert.Equal(FailureClasses.ResourceExhausted, outcome.FailureClass);
        Assert.Equal(["exec", "--json", "--sandbox", "workspace-write", "--color", "never", "--model", "some/model", "-"], Argv(agent));
        Assert.Contains("<untrusted-data boundary=", agent.Read("stdin"));
    }

    [Fact]
    public async Task Codex_Success_ReadsTurnsAndTokens()
    {
        var (outcome, agent) = await RunAsync("codex", FakeAgent.CommitGreeting + """

            echo '{"type":"turn.completed","usage":{"input_tokens":2000,"cached_input_tokens":0,"output_tokens":300}}'
            echo '{"type":"item.completed","item":{"id":"i1","type":"agent_message","text":"Done: greeting added"}}'
            """);
        using var _ = agent;

        Assert.Equal(AgentOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal(2300, outcome.Usage!.Tokens);
        Assert.Equal("Done: greeting added", outcome.Summary);
    }

    [Fact]
    public async Task Aider_Success_ReadsTokenReportsAndMessageFile()
    {
        var (outcome, agent) = await RunAsync("aider", FakeAgent.CommitGreeting + """

            cp "$3" "$FAKE_DUMP/message" 2>/dev/null; cp "${6:-/dev/null}" "$FAKE_DUMP/message-file"
            echo 'Tokens: 2.1k sent, 310 received. Cost: $0.01 message, $0.01 session.'
            echo 'Tokens: 3.5k sent, 200 received. Cost: $0.02 message, $0.03 session.'
            """);
        using var _ = agent;

        Assert.Equal(AgentOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal(2, outcome.Usage!.Iterations);
        Assert.Equal(6110, outcome.Usage.Tokens);
        Assert.Equal(0.03m, outcome.Usage.CostUsd);
        var argv = Argv(agent);
        Assert.Equal(["--yes-always", "--no-pretty", "--no-stream", "--no-check-update", "--message-file"], argv[..5]);
        Assert.Equal(agent.Read("promptfile"), agent.Read("message-file"));
    }

    [Fact]
    public async Task Command_GetsPromptOnStdinAndFileAndBatonVariables()
    {
        var (outcome, agent) = await RunAsync("command", FakeAgent.CommitGreeting, Jobs.Implement(_remote.Url, agent: "command"));
        using var _ = agent;

        Assert.Equal(AgentOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal(agent.Read("stdin"), agent.Read("promptfile"));
        var env = agent.Read("env").Split('\n');
        Assert.Contains("BATON_BRANCH=baton/42-add-greeting", env);
        Assert.Contains("BATON_ISSUE_NUMBER=42", env);
        Assert.Contains(env, line => line.StartsWith("BATON_WORKSPACE=" + _root.Path, StringComparison.Ordinal));
        Assert.Equal(agent.Read("pwd").Trim(), env.Single(l => l.StartsWith("BATON_WORKSPACE=", StringComparison.Ordinal))["BATON_WORKSPACE=".Length..]);
    }

    public void Dispose()
    {
        _remote.Dispose();
        _root.Dispose();
    }
}

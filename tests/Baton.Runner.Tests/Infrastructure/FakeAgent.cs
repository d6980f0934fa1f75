using Baton.Runner.Agents;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Baton.Runner.Tests.Infrastructure;

/// <summary>A fake agent CLI: a bash script that first records what it was given (argv, stdin, environment, the
/// clone's git config) into <see cref="Dump"/>, then runs the scenario body in the clone.</summary>
internal sealed class FakeAgent : IDisposable
{
    private readonly TempFolder _folder = new();

    public FakeAgent(string body)
    {
        Directory.CreateDirectory(Dump);
        Script = _folder.Combine("fake-agent.sh");
        File.WriteAllText(Script, $$"""
            #!/usr/bin/env bash
            set -u
            printf '%s\n' "$@" > "$FAKE_DUMP/argv"
            cat /proc/$$/cmdline | tr '\0' '\n' > "$FAKE_DUMP/cmdline"
            cat > "$FAKE_DUMP/stdin"
            env > "$FAKE_DUMP/env"
            cp .git/config "$FAKE_DUMP/gitconfig"
            pwd > "$FAKE_DUMP/pwd"
            cp "$BATON_PROMPT_FILE" "$FAKE_DUMP/promptfile"
            {{body}}
            """);
        File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Script { get; }

    public string Dump => _folder.Combine("dump");

    public string Read(string name) => File.ReadAllText(Path.Combine(Dump, name));

    /// <summary>Everything the agent could see, for "the credential never reached it" checks.</summary>
    public string EverythingSeen => string.Join("\n", Directory.GetFiles(Dump).Select(File.ReadAllText));

    public JobExecutor Executor(string adapter, string workspaceRoot) =>
        new(new AgentAdapters(new Dictionary<string, AgentCliOptions>
            {
                [adapter] = new() { Executable = Script, Environment = { ["FAKE_DUMP"] = Dump } },
            }),
            Options.Create(new RunnerOptions { Workspace = { Root = workspaceRoot } }),
            NullLogger<JobExecutor>.Instance);

    public void Dispose() => _folder.Dispose();

    /// <summary>Bash that commits a change the way an agent would.</summary>
    public const string CommitGreeting = """
        echo hello > hello.txt
        git add hello.txt
        git commit --quiet -m "Add greeting"
        """;

    /// <summary>A realistic <c>claude -p --output-format json</c> result line.</summary>
    public static string ClaudeResult(string subtype = "success", bool isError = false, int turns = 3,
        string cost = "0.1234", int input = 1200, int output = 340, string result = "Added hello.txt") =>
        $$$"""
        echo '{"type":"result","subtype":"{{{subtype}}}","is_error":{{{(isError ? "true" : "false")}}},"duration_ms":8123,"duration_api_ms":7000,"num_turns":{{{turns}}},"result":"{{{result}}}","session_id":"9f1c","total_cost_usd":{{{cost}}},"usage":{"input_tokens":{{{input}}},"cache_creation_input_tokens":0,"cache_read_input_tokens":5000,"output_tokens":{{{output}}},"service_tier":"standard"}}'
        """;
}

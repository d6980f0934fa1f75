using System.ComponentModel;
using Baton.Runner.Agents;
using Baton.Runner.Processes;
using Baton.Runner.Protocol;
using Baton.Runner.Workspaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Runner;

/// <summary>Runs one job start to finish: workspace, prompt, agent process, commit and push, classification. The
/// workspace is deleted whatever happens.</summary>
public sealed class JobExecutor(AgentAdapters adapters, IOptions<RunnerOptions> options, ILogger<JobExecutor> logger)
{
    /// <summary>Inherited variables an agent must not see: anything shaped like .NET configuration (<c>__</c>: the
    /// runner token, and in the embedded runner the host's database, GitHub, Discord and Jira secrets), git settings,
    /// our own <c>BATON_*</c>, and the usual GitHub token variables. LLM keys reach the agent through
    /// <see cref="AgentCliOptions.Environment"/> or plainly named variables.</summary>
    internal static bool IsHiddenFromAgent(string name) =>
        name.Contains("__", StringComparison.Ordinal) ||
        name.StartsWith("GIT_", StringComparison.Ordinal) ||
        name.StartsWith("BATON_", StringComparison.Ordinal) ||
        name is "GITHUB_TOKEN" or "GH_TOKEN" or "GH_ENTERPRISE_TOKEN";

    /// <summary>Runs <paramref name="job"/>; <paramref name="log"/> gets every line worth showing to the operator.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires (the host cancelled
    /// the job or the lease was lost); the agent is killed and the workspace deleted by then.</exception>
    public async Task<AgentOutcome> RunAsync(AgentJob job, Action<string> log, CancellationToken cancellationToken)
    {
        RunnerLog.JobStarted(logger, job.JobId, job.Role, job.Repository, job.Issue.Number, job.Agent, job.Offer);
        var outcome = await RunCoreAsync(job, log, cancellationToken);
        RunnerLog.JobFinished(logger, job.JobId, outcome.Kind.ToString(), outcome.FailureClass);
        log($"Outcome: {outcome.Kind} {outcome.FailureClass} {outcome.Summary}".TrimEnd());
        return outcome;
    }

    private async Task<AgentOutcome> RunCoreAsync(AgentJob job, Action<string> log, CancellationToken cancellationToken)
    {
        if (!adapters.TryGet(job.Agent, out var adapter, out var cli))
            return Failed(FailureClasses.Permanent, $"This runner has no '{job.Agent}' agent.");
        try
        {
            await using var workspace = await JobWorkspace.CreateAsync(job, options.Value.Workspace, log, cancellationToken);
            var prompt = PromptBuilder.Build(job, PromptBuilder.NewBoundary());
            var promptFile = Path.Combine(workspace.PrivateDirectory, "prompt.md");
            await File.WriteAllTextAsync(promptFile, prompt, cancellationToken);
            var invocation = adapter.BuildInvocation(new AgentContext(job, prompt, promptFile, workspace.RepositoryDirectory));

            log($"Starting {adapter.Name}: {invocation.FileName} {string.Join(' ', invocation.Arguments.Select(Shorten))}");
            ProcessResult process;
            try
            {
                process = await ProcessRunner.RunAsync(new ProcessSpec(invocation.FileName, invocation.Arguments, workspace.RepositoryDirectory)
                {
                    RemoveInherited = IsHiddenFromAgent,
                    Environment = AgentEnvironment(job, promptFile, workspace.RepositoryDirectory, cli, invocation),
                    StandardInput = invocation.StandardInput,
                    Timeout = TimeSpan.FromSeconds(job.Budget.WallTimeSeconds),
                    OnLine = log,
                }, cancellationToken);
            }
            catch (Win32Exception e)
            {
                return Failed(FailureClasses.Permanent, $"The agent '{invocation.FileName}' could not be started: {e.Message}");
            }
            log(process.TimedOut
                ? $"The agent ran past {job.Budget.WallTimeSeconds} s and was killed"
                : $"The agent exited with code {process.ExitCode} after {process.Elapsed.TotalSeconds:0.0} s");

            var question = workspace.ReadQuestion();
            var review = workspace.ReadReview();
            // A reviewer's job is its verdict; anything it changed is not meant to land on the branch.
            var changes = job.Role == PromptBuilder.ReviewRole
                ? BranchChanges.None
                : await workspace.CommitAndPushAsync($"Work in progress by the agent on #{job.Issue.Number} (committed by Baton)", cancellationToken);
            return adapter.Interpret(new AgentRun(job, process, changes, question, review));
        }
        catch (GitCommandException e)
        {
            return Failed(e.FailureClass, e.Message);
        }
        catch (ArgumentException e)
        {
            return Failed(FailureClasses.Permanent, e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Failed(FailureClasses.Permanent, e.Message);
        }
    }

    private static Dictionary<string, string> AgentEnvironment(AgentJob job, string promptFile, string workspace,
        AgentCliOptions cli, AgentInvocation invocation)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BATON_PROMPT_FILE"] = promptFile,
            ["BATON_WORKSPACE"] = workspace,
            ["BATON_BRANCH"] = job.Branch,
            ["BATON_BASE_BRANCH"] = job.BaseBranch,
            ["BATON_REPOSITORY"] = job.Repository,
            ["BATON_ISSUE_NUMBER"] = job.Issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BATON_ROLE"] = job.Role,
            ["BATON_JOB_ID"] = job.JobId,
            ["BATON_MAX_ITERATIONS"] = job.Budget.MaxIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BATON_MODEL"] = job.Model ?? "",
            // Editors and pagers must never wait for a person.
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_EDITOR"] = "true",
            ["GIT_PAGER"] = "cat",
        };
        foreach (var (name, value) in cli.Environment)
            environment[name] = value;
        foreach (var (name, value) in invocation.Environment)
            environment[name] = value;
        return environment;
    }

    private static string Shorten(string argument) =>
        argument.Length <= 200 ? argument : $"<{argument.Length} characters>";

    private static AgentOutcome Failed(string failureClass, string summary) =>
        new(AgentOutcomeKind.Failed, Summary: summary, FailureClass: failureClass);
}

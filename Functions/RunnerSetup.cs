using Baton.Activities.Agents;
using Baton.Durable;
using Baton.Runner;
using Baton.Runner.Connection;

namespace Baton.Functions;

/// <summary>Wires agent jobs: the broker, the runner protocol's options, and (unless <c>Runner__Embedded=false</c>)
/// the in-process runner.</summary>
public static class RunnerSetup
{
    public static WebApplicationBuilder AddAgentRunners(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RunnerHostOptions>().BindConfiguration(RunnerHostOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgentJobs>();
        services.AddSingleton<IRepositoryAccess, GitHubRepositoryAccess>();

        var embedded = builder.Configuration.GetValue(RunnerHostOptions.SectionName + ":" + nameof(RunnerHostOptions.Embedded), true);
        if (embedded)
        {
            services.AddSingleton<IRunnerConnection, InProcessRunnerConnection>();
            services.AddBatonRunner();
        }
        return builder;
    }

    /// <summary>Every adapter's job activity is remote: runners run them, never this process's worker.</summary>
    public static DurableRegistry AddAgentJobs(this DurableRegistry registry)
    {
        foreach (var agent in AgentJobs.KnownAgents) registry.AddRemoteActivity(AgentJobs.ActivityFor(agent));
        return registry;
    }
}

using Baton.Activities.Agents;
using Baton.Hosting;
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
        services.AddSingleton<RunnerSightings>();
        services.AddSingleton<AgentJobs>();
        services.AddSingleton<IRepositoryAccess, GitHubRepositoryAccess>();

        // Read here as well as bound above: what is on and off is decided (and reported) at composition.
        var runners = builder.Configuration.GetSection(RunnerHostOptions.SectionName).Get<RunnerHostOptions>() ?? new();
        var features = HostFeatures.In(services);
        if (runners.Embedded)
        {
            services.AddSingleton<IRunnerConnection, InProcessRunnerConnection>();
            services.AddBatonRunner();
            var adapters = builder.Configuration.GetSection(RunnerOptions.SectionName).Get<RunnerOptions>()?.Agents.Keys.ToList() ?? [];
            if (adapters.Count == 0)
                features.Disable("embeddedRunner", "no agent CLI is configured (Runner__Agents__<adapter>__Executable), so agent jobs wait for an external runner");
            else
                features.Enable("embeddedRunner", "runs " + string.Join(", ", adapters));
        }
        else
        {
            features.Disable("embeddedRunner", "Runner__Embedded is false: agent jobs wait for external runners (baton runner)");
        }
        var tokens = runners.ConfiguredTokens.Count();
        if (tokens == 0)
            features.Disable("externalRunners", "no runner token is configured (Runner__Tokens__0), so /api/runners refuses every caller");
        else
            features.Enable("externalRunners", $"{tokens} runner token(s) accepted at /api/runners");
        return builder;
    }
}

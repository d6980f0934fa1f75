using Baton.Runner.Agents;
using Baton.Runner.Connection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baton.Runner;

public static class RunnerServiceCollectionExtensions
{
    /// <summary>Adds the runner (<see cref="RunnerLoop"/> as a hosted service) bound to the <c>Runner</c> section. The
    /// caller adds the <see cref="IRunnerConnection"/>: <see cref="AddHttpRunnerConnection"/> for a standalone runner,
    /// or its own in-process implementation.</summary>
    public static IServiceCollection AddBatonRunner(this IServiceCollection services)
    {
        services.AddOptions<RunnerOptions>().BindConfiguration(RunnerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new AgentAdapters(sp.GetRequiredService<IOptions<RunnerOptions>>().Value.Agents));
        services.AddSingleton<JobExecutor>();
        services.AddHostedService<RunnerLoop>();
        return services;
    }

    /// <summary>Talks to the host at <c>Runner:HostUrl</c> with the Bearer token <c>Runner:Token</c>.</summary>
    public static IServiceCollection AddHttpRunnerConnection(this IServiceCollection services)
    {
        services.AddHttpClient<IRunnerConnection, HttpRunnerConnection>();
        return services;
    }
}

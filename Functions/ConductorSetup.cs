using Baton.Activities.GitHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrchestrationAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;
using Baton.Hosting;
using Baton.Orchestrations.Conductor;
using Microsoft.Extensions.Options;

namespace Baton.Functions;

/// <summary>
/// Starts the conductor (instance <c>conductor</c>) once the engine runs, if there is something to conduct:
/// repositories (<c>Conductor__Repositories__N</c>) and GitHub credentials. Otherwise the feature is off, with one
/// start-up line and a <c>/readyz</c> entry saying why.
/// </summary>
public static class ConductorSetup
{
    public const string FeatureName = "conductor";

    public static WebApplication StartConductor(this WebApplication app)
    {
        var conductor = app.Services.GetRequiredService<IOptions<ConductorOptions>>().Value;
        var github = app.Services.GetRequiredService<IOptions<GitHubOptions>>().Value;
        var features = app.Services.GetRequiredService<HostFeatures>();
        if (conductor.Repositories.Count == 0)
        {
            features.Disable(FeatureName, "no repositories to manage (Conductor__Repositories__0=owner/repo)");
            return app;
        }
        if (string.IsNullOrWhiteSpace(github.Token) && (string.IsNullOrWhiteSpace(github.AppId) || string.IsNullOrWhiteSpace(github.PrivateKey)))
        {
            features.Disable(FeatureName, "no GitHub credentials (GitHub__Token, or GitHub__AppId with GitHub__PrivateKey)");
            return app;
        }

        features.Enable(FeatureName, $"{conductor.Repositories.Count} repositories, {conductor.Capacity} slots, sweep '{conductor.SweepSchedule}'");
        app.Lifetime.ApplicationStarted.Register(() => _ = EnsureConductorAsync(app.Services, app.Lifetime.ApplicationStopping));
        return app;
    }

    /// <summary>Starts the conductor, or — when a previous run left it live and asleep — wakes it for a start-up round.</summary>
    static async Task EnsureConductorAsync(IServiceProvider services, CancellationToken stopping)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConductorSetup));
        var client = services.GetRequiredService<DurableTaskClient>();
        try
        {
            await services.DurableWorker().Started.WaitAsync(stopping);
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ConductorOrchestration), ConductorRound.First,
                new StartOrchestrationOptions { InstanceId = ConductorEvents.ConductorInstanceId }, stopping);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            await client.RaiseEventAsync(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake, new ConductorWake("start-up"), stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The conductor could not be started");
        }
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Hosting;

/// <summary>Logs one line per feature when the host starts, so a missing key is visible at once.</summary>
sealed class FeatureReport(HostFeatures features, ILogger<FeatureReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var feature in features.All)
        {
            if (feature.Enabled) HostLog.FeatureEnabled(logger, feature.Name, feature.Detail);
            else HostLog.FeatureDisabled(logger, feature.Name, feature.Detail);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

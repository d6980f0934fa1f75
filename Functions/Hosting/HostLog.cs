using Microsoft.Extensions.Logging;

namespace Baton.Hosting;

/// <summary>The host's log messages, with stable event ids (9900–9949).</summary>
static partial class HostLog
{
    [LoggerMessage(EventId = 9900, Level = LogLevel.Information, Message = "Baton is listening on {Urls} (store: {Provider})")]
    public static partial void Listening(ILogger logger, string urls, string provider);

    [LoggerMessage(EventId = 9901, Level = LogLevel.Information, Message = "Feature {Feature} enabled: {Detail}")]
    public static partial void FeatureEnabled(ILogger logger, string feature, string detail);

    [LoggerMessage(EventId = 9902, Level = LogLevel.Warning, Message = "Feature {Feature} disabled: {Reason}")]
    public static partial void FeatureDisabled(ILogger logger, string feature, string reason);

    [LoggerMessage(EventId = 9903, Level = LogLevel.Warning, Message = "Readiness check failed: {Reason}")]
    public static partial void NotReady(ILogger logger, string reason);

    [LoggerMessage(EventId = 9904, Level = LogLevel.Debug, Message = "Refused {Method} {Path}: its body could not be read ({StatusCode}: {Reason})")]
    public static partial void RequestBodyRefused(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(EventId = 9905, Level = LogLevel.Warning,
        Message = "Baton listens on {Urls}, which other machines can reach, and no management API key is configured: the management API refuses every caller not on this machine, including requests passed on by a reverse proxy. Configure Baton__ApiKeys__0 to let remote callers in with a key")]
    public static partial void ReachableWithoutKey(ILogger logger, string urls);
}

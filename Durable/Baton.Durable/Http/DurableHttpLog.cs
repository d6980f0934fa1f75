using Microsoft.Extensions.Logging;

namespace Baton.Durable.Http;

/// <summary>Log messages of the management API, with stable event ids (9200–9219). Keys are never logged.</summary>
static partial class DurableHttpLog
{
    [LoggerMessage(EventId = 9200, Level = LogLevel.Information, Message = "Started orchestration {Name} as {InstanceId} over HTTP")]
    public static partial void Started(ILogger logger, string name, string instanceId);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "Raised event {EventName} to {InstanceId} over HTTP")]
    public static partial void EventRaised(ILogger logger, string eventName, string instanceId);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Information, Message = "Asked {InstanceId} to {Operation} over HTTP")]
    public static partial void ControlSent(ILogger logger, string instanceId, string operation);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Information, Message = "Purged {Count} instance(s) over HTTP")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(EventId = 9210, Level = LogLevel.Debug, Message = "Refused {Method} {Path}: {Status} {Detail}")]
    public static partial void RequestRefused(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(EventId = 9211, Level = LogLevel.Warning, Message = "Refused unauthenticated {Method} {Path} from {RemoteAddress}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string remoteAddress, string reason);
}

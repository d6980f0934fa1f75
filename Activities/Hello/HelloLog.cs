namespace Baton.Activities.Hello;

/// <summary>Log messages of the sample integration (event ids 2900–2909).</summary>
static partial class HelloLog
{
    [LoggerMessage(EventId = 2900, Level = LogLevel.Information, Message = "Said hello to {Name} for {InstanceId}")]
    public static partial void Greeted(ILogger logger, string name, string instanceId);
}

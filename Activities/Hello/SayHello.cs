using Microsoft.DurableTask;

namespace Baton.Activities.Hello;

/// <summary>Returns a greeting for one name. No side effects, so running it twice is harmless.</summary>
public sealed class SayHello(ILogger<SayHello> logger) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string name)
    {
        HelloLog.Greeted(logger, name, context.InstanceId);
        return Task.FromResult($"Hello {name}!");
    }
}

using Baton.Activities.Hello;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>Who to greet. With no input the classic three cities are greeted.</summary>
public sealed record HelloSequenceInput(IReadOnlyList<string> Names)
{
    public static readonly HelloSequenceInput Default = new(["Tokyo", "Seattle", "London"]);
}

/// <summary>
/// The sample workflow: greets each name in turn through the <see cref="SayHello"/> activity and returns the
/// greetings in order. Each call is a durable step, so a restart resumes after the last finished greeting.
/// </summary>
public sealed class HelloSequenceOrchestration : TaskOrchestrator<HelloSequenceInput?, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, HelloSequenceInput? input)
    {
        var names = (input ?? HelloSequenceInput.Default).Names;
        var greetings = new List<string>(names.Count);
        foreach (var name in names)
            greetings.Add(await context.CallActivityAsync<string>(nameof(SayHello), name));
        return greetings;
    }
}

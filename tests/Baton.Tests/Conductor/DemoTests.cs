using Baton.Demo;
using Baton.Hosting;

namespace Baton.Tests.Conductor;

/// <summary><c>baton demo</c> plays seed 003's milestone through the real host, conductor and GitHub emulator.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_works_the_milestone_in_dependency_order_with_the_critical_bug_first_in_line()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await DemoCommand.RunAsync(["--exit", "--agent-seconds", "0.3", "--timeout", "90", "--urls", "http://127.0.0.1:0"],
            Program.BuildApp, output, error);

        var text = output.ToString();
        Assert.True(exit == 0, $"the demo failed:\n{text}\n{error}");
        var order = text.Split('\n').Single(l => l.Contains("Order of work:"));
        int At(string issue) => order.IndexOf(issue + " ", StringComparison.Ordinal) is var i and >= 0 ? i : order.IndexOf(issue + ".", StringComparison.Ordinal);
        Assert.True(At("#1") < At("#5") && At("#2") < At("#5"), order);   // #1 and #2 start first, in parallel
        Assert.True(At("#5") < At("#3"), order);                           // the critical bug takes the first free slot
        Assert.True(At("#3") < At("#4"), order);                           // #4 waits for #3
        int Line(string fragment) => text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(Line("agent starts #3") > Line("agent finished #1") && Line("agent starts #3") > Line("agent finished #2"), text);
        Assert.True(Line("agent starts #4") > Line("agent finished #3"), text);
        Assert.Contains("The conductor closed the milestone \"AI Chat Widget\" (4 issues)", text);
    }
}

using Baton.Demo;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Features;

/// <summary><c>baton demo --scenario</c> with a Jira feature: planned by the scripted model, approved, created as a milestone of
/// dependent issues, worked by agents, merged, and the Jira issue ends Done with the pull requests.</summary>
public sealed class JiraDemoTests
{
    [Fact]
    public async Task A_Jira_feature_is_planned_worked_merged_and_ends_done_in_Jira()
    {
        var scenario = Path.Combine(SharedFixtures.RepositoryRoot(), "Demo", "Scenarios", "jira-feature.json");
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await DemoCommand.RunAsync(["--scenario", scenario, "--exit", "--agent-seconds", "0.2", "--timeout", "150", "--urls", "http://127.0.0.1:0"],
            Program.BuildApp, output, error);

        var text = $"{output}\n{error}";
        Assert.True(exit == 0, text);
        Assert.Contains("Jira SHOP-1 \"Gift cards\" moved to Ready to build.", text, StringComparison.Ordinal);
        Assert.Contains("Baton created milestone #1 with issues #1, #2, #3 and told Jira.", text, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"merged\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"state\":\"open\"", text, StringComparison.Ordinal);
        Assert.Contains("Jira SHOP-1 is Done; Baton's comment lists the merged pull requests (with links).", text, StringComparison.Ordinal);
    }
}

using Baton.Demo.GitHubEmulator;
using Microsoft.DurableTask.Client;
using Baton.Orchestrations.Conductor;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Conductor;

/// <summary>
/// The conductor end to end: a real Baton host (SQLite) against the stateful GitHub emulator, driven only by what
/// people do on GitHub and by the signed webhooks GitHub sends back.
/// </summary>
public sealed class ConductorEndToEndTests : IAsyncLifetime
{
    const string Secret = "conductor end-to-end secret";
    const string Repository = "acme/widget";
    readonly GitHubEmulator github = new();
    BatonServer server = null!;

    public async Task InitializeAsync()
    {
        await github.StartAsync();
        github.CreateRepository(Repository);
        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "test-token",
                ["GitHub:WebhookSecret"] = Secret,
                ["Conductor:Repositories:0"] = Repository,
                ["Conductor:Capacity"] = "2",
                ["Conductor:SweepSchedule"] = "0 0 0 * * *",   // daily: in this test only webhooks drive the rounds
            },
        });
        github.WebhookUrl = new Uri(server.BaseAddress, "/api/github/webhook");
        github.WebhookSecret = Secret;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await github.DisposeAsync();
    }

    [Fact]
    public async Task Approved_issues_start_in_dependency_order_and_a_closed_blocker_frees_its_dependent()
    {
        var toolApi = github.CreateIssue(Repository, "LLM tool API", BoardLabels.Approved);
        var chatUi = github.CreateIssue(Repository, "Chat UI", BoardLabels.Approved);
        var wiring = github.CreateIssue(Repository, "Wire the chat to the tools");
        github.AddBlockedBy(wiring, toolApi);
        github.AddBlockedBy(wiring, chatUi);
        github.AddLabel(wiring, BoardLabels.Approved);

        // #1 and #2 take the two slots and are claimed on GitHub; #3 is marked blocked and not started.
        // The claim labels the issue before it comments, so wait for the comment too.
        await EventuallyAsync(() => HasLabel(toolApi, BoardLabels.InProgress) && HasLabel(chatUi, BoardLabels.InProgress)
                                    && HasLabel(wiring, BoardLabels.Blocked) && ClaimComments(toolApi) > 0);
        Assert.Equal(1, ClaimComments(toolApi));
        Assert.Null(await server.Client.GetInstanceAsync(InstanceOf(wiring)));

        // Both blockers are done and closed: the dependent is unblocked and takes a freed slot.
        github.CloseIssue(toolApi);
        github.CloseIssue(chatUi);
        await EventuallyAsync(() => HasLabel(wiring, BoardLabels.InProgress) && !HasLabel(wiring, BoardLabels.Blocked));
        var closed = await server.Client.WaitForInstanceCompletionAsync(InstanceOf(toolApi), getInputsAndOutputs: true).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("closed", "closed by octocat"), closed.ReadOutputAs<Baton.Orchestrations.IssueResult>() is { } r ? (r.State, r.Summary) : default);
    }

    [Fact]
    public async Task An_idle_round_costs_no_rate_limit()
    {
        var issue = github.CreateIssue(Repository, "Something approved", BoardLabels.Approved);
        // The claim labels the issue first, then comments and reads it: wait until it is over (the job is queued).
        await EventuallyAsync(async () => (await server.Client.GetInstanceAsync(InstanceOf(issue), getInputsAndOutputs: true))
            ?.ReadCustomStatusAs<Baton.Orchestrations.IssueStatus>()?.Stage == "agent-working");
        await SettleAsync();
        var before = (github.Usage.RateLimited, Round: await RoundAsync());
        Assert.True(before.RateLimited > 0, "the first reads of the board must have cost rate limit, or this test proves nothing");

        await server.Client.RaiseEventAsync(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake, new ConductorWake("test sweep"));
        await EventuallyAsync(async () => await RoundAsync() > before.Round);
        await SettleAsync();

        Assert.Equal(before.RateLimited, github.Usage.RateLimited);
    }

    [Fact]
    public async Task A_repository_limit_from_configuration_caps_that_repository_below_the_global_capacity()
    {
        github.CreateRepository("acme/limited");
        var first = github.CreateIssue("acme/limited", "First", BoardLabels.Approved);
        var second = github.CreateIssue("acme/limited", "Second", BoardLabels.Approved);

        // A second host manages that repository; its start-up round sees both approved issues.
        await using var limited = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "test-token",
                ["Conductor:Repositories:0"] = "acme/limited",
                ["Conductor:Capacity"] = "5",
                ["Conductor:RepositoryLimits:0:Repository"] = "ACME/limited",   // names compare without case, as on GitHub
                ["Conductor:RepositoryLimits:0:Capacity"] = "1",
                ["Conductor:SweepSchedule"] = "0 0 0 * * *",
            },
        });

        await EventuallyAsync(async () => (await limited.Client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, true))
            ?.ReadCustomStatusAs<ConductorStatus>()?.Waiting.Any(w => w.Reason == WaitReason.RepositoryAtCapacity) == true);

        await EventuallyAsync(() => HasLabel(first, BoardLabels.InProgress) || HasLabel(second, BoardLabels.InProgress));
        Assert.False(HasLabel(first, BoardLabels.InProgress) && HasLabel(second, BoardLabels.InProgress), "only one of the two may run");
    }

    int ClaimComments(EmulatedIssueRef issue) => github.GetIssue(issue).Comments.Count(c => c.Contains("Baton has queued this issue"));

    bool HasLabel(EmulatedIssueRef issue, string label) => github.GetIssue(issue).Labels.Contains(label, StringComparer.OrdinalIgnoreCase);

    static string InstanceOf(EmulatedIssueRef issue)
    {
        var parts = issue.Repository.Split('/');
        return ConductorEvents.IssueInstanceId(new IssueRef(parts[0], parts[1], issue.Number));
    }

    async Task<int> RoundAsync()
    {
        var conductor = await server.Client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true);
        return conductor?.ReadCustomStatusAs<ConductorStatus>()?.Round ?? 0;
    }

    /// <summary>Waits until webhooks are delivered and nothing moves for a while: no new delivery, no new round, no
    /// rate-limited call. A round shows its number only after it has read the board, so a round still reading (slow on a
    /// loaded machine) looks like the previous one: a short look could take its reads for those of the next round.</summary>
    async Task SettleAsync()
    {
        var quietFor = TimeSpan.FromSeconds(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        var (last, since) = ((Round: -1, Deliveries: -1, RateLimited: -1), DateTime.UtcNow);
        while (true)
        {
            await github.WebhooksDeliveredAsync();
            var now = (Round: await RoundAsync(), github.Deliveries.Count, github.Usage.RateLimited);
            if (now != last) (last, since) = (now, DateTime.UtcNow);
            else if (DateTime.UtcNow - since >= quietFor) return;
            await Task.Delay(100, timeout.Token);
        }
    }

    static Task EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    static Task EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(45));
}

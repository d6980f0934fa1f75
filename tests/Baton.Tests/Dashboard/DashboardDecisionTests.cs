using System.Net;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace Baton.Tests.Dashboard;

/// <summary>Deciding from the dashboard: approvers answer and approve (pinned to the pull request's head at the click),
/// a late answer is told who decided, and every refusal — no anti-forgery token, a member who is no approver, an action
/// not offered, a bad key — is a 4xx problem that leaves the escalation waiting.</summary>
public sealed class DashboardDecisionTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static EscalationRequest Question(params string[] approvers) => new("question", "acme/widgets#7", "Which database?",
        "The agent asks: **Postgres or SQLite?**", [EscalationActions.Answer, EscalationActions.Stop],
        new IssueRef("acme", "widgets", 7), null, null, approvers);

    async Task<(DashboardClient Client, string Token)> SignedInAsync(string login)
    {
        host.GitHub.OAuthLogin = login;
        var client = host.NewClient();
        var page = await (await client.SignInAsync()).Content.ReadAsStringAsync();
        return (client, DashboardClient.TokenIn(page));
    }

    static Dictionary<string, string> Form(string token, string action, string? text = null)
    {
        var form = new Dictionary<string, string> { ["__csrf"] = token, ["action"] = action };
        if (text is not null) form["text"] = text;
        return form;
    }

    async Task<EscalationOutcome?> OutcomeAsync(string key)
    {
        var instance = await host.Server.Client.GetInstanceAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true);
        return instance?.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<EscalationOutcome>() : null;
    }

    [Fact]
    public async Task Answer_Approver_SettlesWithTheirAnswer()
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;
        var page = await (await client.Http.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains($"action=\"/dashboard/escalations/{key}\"", page);

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Answer, "Postgres"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Decision recorded", await response.Content.ReadAsStringAsync());
        var outcome = await OutcomeAsync(key);
        Assert.Equal(("answer", "Postgres", "alice", "dashboard", "alice"), (outcome!.Action, outcome.Text, outcome.By, outcome.Via, outcome.GitHubLogin));
    }

    [Fact]
    public async Task Approve_Gate_PinsThePullRequestHeadAtTheClick()
    {
        var pull = host.GitHub.OpenPullRequest(DashboardHost.Repository, "Payments change", "baton/issue-8");
        var head = host.GitHub.GetPullRequest(pull).HeadSha;
        var key = await host.OpenEscalationAsync(new EscalationRequest("gate", "acme/widgets#8", "Approve the payments change",
            "Touches payments/", [EscalationActions.Approve, EscalationActions.Reject], new IssueRef("acme", "widgets", 8), pull.Number,
            "0000000000000000000000000000000000000000", [DashboardHost.Approver]));
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Approve));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await OutcomeAsync(key);
        Assert.Equal(("approve", head), (outcome!.Action, outcome.HeadSha));
    }

    [Fact]
    public async Task Answer_AlreadyResolved_SaysByWhomAndWhen()
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;
        await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Answer, "first"));

        var late = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Answer, "second"));

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var page = await late.Content.ReadAsStringAsync();
        Assert.Contains("Already resolved by alice (answer, via dashboard) at ", page);
        Assert.Equal("first", (await OutcomeAsync(key))!.Text);
    }

    [Fact]
    public async Task Answer_WithoutAntiforgeryToken_Is400AndStillWaiting()
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, _) = await SignedInAsync(DashboardHost.Approver);
        using var c = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}",
            new Dictionary<string, string> { ["action"] = EscalationActions.Answer, ["text"] = "forged" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("anti-forgery", problem.GetProperty("detail").GetString());
        await AssertStillWaitingAsync(key);
    }

    [Fact]
    public async Task Answer_TokenFromAnotherSession_Is400AndStillWaiting()
    {
        var key = await host.OpenEscalationAsync(Question());
        var (other, otherToken) = await SignedInAsync(DashboardHost.Member);
        other.Dispose();
        var (client, _) = await SignedInAsync(DashboardHost.Approver);
        using var c = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(otherToken, EscalationActions.Answer, "forged"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertStillWaitingAsync(key);
    }

    [Fact]
    public async Task Answer_MemberWhoIsNoApprover_SeesNoFormAndIsRefused()
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, token) = await SignedInAsync(DashboardHost.Member);
        using var _ = client;
        var page = await (await client.Http.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.Contains("Which database?", page);
        Assert.DoesNotContain($"action=\"/dashboard/escalations/{key}\"", page);

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Answer, "mine"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        await AssertStillWaitingAsync(key);
    }

    [Fact]
    public async Task Answer_ApproverNotOnTheEscalationsOwnList_IsRefused()
    {
        var key = await host.OpenEscalationAsync(Question("someone-else"));
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form(token, EscalationActions.Answer, "mine"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        await AssertStillWaitingAsync(key);
    }

    [Theory]
    [InlineData("an action it does not offer", "approve", null, HttpStatusCode.BadRequest)]
    [InlineData("an unknown action", "merge-now", null, HttpStatusCode.BadRequest)]
    [InlineData("an answer without text", "answer", "", HttpStatusCode.BadRequest)]
    [InlineData("an answer that is too long", "answer", "LONG", HttpStatusCode.BadRequest)]
    public async Task Answer_BadInput_Is4xxAndStillWaiting(string name, string action, string? text, HttpStatusCode expected)
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}",
            Form(token, action, text == "LONG" ? new string('x', 4001) : text));

        Assert.True(expected == response.StatusCode, name);
        await ProblemAssert.IsProblemAsync(response, expected);
        await AssertStillWaitingAsync(key);
    }

    [Theory]
    [InlineData("no such escalation", "0123456789abcdef", HttpStatusCode.NotFound)]
    [InlineData("not a key", "bad.key!", HttpStatusCode.BadRequest)]
    public async Task Answer_UnknownOrMalformedKey_Is4xx(string name, string key, HttpStatusCode expected)
    {
        var (client, token) = await SignedInAsync(DashboardHost.Approver);
        using var _ = client;

        var response = await client.PostFormAsync($"/dashboard/escalations/{Uri.EscapeDataString(key)}", Form(token, EscalationActions.Answer, "x"));

        Assert.True(expected == response.StatusCode, name);
        await ProblemAssert.IsProblemAsync(response, expected);
    }

    [Theory]
    [InlineData("JSON instead of a form", "application/json", "{\"action\":\"answer\"}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart without a boundary", "multipart/form-data", "--x--", HttpStatusCode.BadRequest)]
    public async Task Answer_MalformedBody_Is4xxAndStillWaiting(string name, string contentType, string body, HttpStatusCode expected)
    {
        var key = await host.OpenEscalationAsync(Question());
        var (client, _) = await SignedInAsync(DashboardHost.Approver);
        using var c = client;
        var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await client.Http.PostAsync($"/dashboard/escalations/{key}", content);

        Assert.True(expected == response.StatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await ProblemAssert.IsProblemAsync(response, expected);
        await AssertStillWaitingAsync(key);
    }

    [Fact]
    public async Task Answer_NotSignedIn_Is401()
    {
        var key = await host.OpenEscalationAsync(Question());
        using var client = host.NewClient();

        var response = await client.PostFormAsync($"/dashboard/escalations/{key}", Form("none", EscalationActions.Answer, "x"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await AssertStillWaitingAsync(key);
    }

    async Task AssertStillWaitingAsync(string key)
    {
        var instance = await host.Server.Client.GetInstanceAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
        Assert.Equal("waiting", instance.ReadCustomStatusAs<EscalationStatus>()!.State);
    }
}

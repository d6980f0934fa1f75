using System.Text.Json;
using Baton.Activities.GitHub;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.GitHub;

/// <summary>
/// The REST answers the core tests write by hand (<see cref="RestPayloads"/>) against what GitHub documents and sends
/// (<c>../shared/fixtures/github/rest</c>): every field a hand-written answer has, the recorded one has too, with the
/// same JSON kind; and the recorded answer reads into the client's model.
/// </summary>
public sealed class GitHubRestConformanceTests
{
    sealed record Case(string Own, Func<string> Recorded, Type? Model);

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["issue"] = new(RestPayloads.Issue, () => GitHubFixtures.FirstExampleItem("issues/list-for-repo.json", 200), typeof(GitHubIssue)),
        ["issue with milestone"] = new(RestPayloads.IssueIn("o/r", 1, 1), () => GitHubFixtures.FirstExampleItem("issues/list-for-repo.json", 200), typeof(GitHubIssue)),
        ["blocked by"] = new($"[{RestPayloads.IssueIn("o/r", 1, 1)}]", () => GitHubFixtures.Example("issues/list-dependencies-blocked-by.json", 200), typeof(List<GitHubIssue>)),
        ["milestone"] = new(RestPayloads.Milestone, () => GitHubFixtures.Example("issues/get-milestone.json", 200), typeof(GitHubMilestone)),
        ["closed milestone"] = new(RestPayloads.ClosedMilestone, () => GitHubFixtures.Example("issues/update-milestone.json", 200), typeof(GitHubMilestone)),
        ["pull request"] = new(RestPayloads.PullRequest(), () => GitHubFixtures.Example("pulls/get.json", 200), typeof(GitHubPullRequest)),
        ["created pull request"] = new(RestPayloads.PullRequest(), () => GitHubFixtures.Example("pulls/create.json", 201), typeof(GitHubPullRequest)),
        ["pull request files"] = new(RestPayloads.PullRequestFiles, () => GitHubFixtures.Example("pulls/list-files.json", 200), typeof(List<GitHubPullRequestFile>)),
        ["reviews"] = new(RestPayloads.Reviews, () => GitHubFixtures.Example("pulls/list-reviews.json", 200), typeof(List<GitHubReview>)),
        ["merged"] = new(RestPayloads.MergedAnswer, () => GitHubFixtures.Example("pulls/merge.json", 200), typeof(GitHubMergeResult)),
        ["head modified"] = new(RestPayloads.HeadModifiedAnswer, () => GitHubFixtures.Example("pulls/merge.json", 409), null),
        ["not mergeable"] = new(RestPayloads.NotMergeableAnswer, () => GitHubFixtures.Example("pulls/merge.json", 405), null),
        ["check runs"] = new(RestPayloads.CheckRuns, () => GitHubFixtures.Example("checks/list-for-ref.json", 200), typeof(CheckRunPage)),
        ["check suites"] = new(RestPayloads.CheckSuites, () => GitHubFixtures.Example("checks/list-suites-for-ref.json", 200), typeof(CheckSuitePage)),
        ["comment"] = new(RestPayloads.Comment, () => GitHubFixtures.Example("issues/create-comment.json", 201), typeof(GitHubComment)),
        ["git ref"] = new(RestPayloads.GitRef, () => GitHubFixtures.Example("git/get-ref.json", 200), typeof(GitHubGitRef)),
        ["issue labels"] = new(RestPayloads.IssueLabels, () => GitHubFixtures.Recorded("add-labels-to-issue")[1].Body, typeof(List<GitHubLabel>)),
        ["validation failed"] = new(RestPayloads.ValidationFailed, () => GitHubFixtures.Recorded("errors")[0].Body, null),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [ConformanceTheory]
    [MemberData(nameof(Names))]
    public void HandWrittenAnswer_HasTheShapeOfTheRecordedOne(string name)
    {
        var (own, recorded, model) = Cases[name];

        var differences = JsonShape.Differences(own, recorded());

        Assert.True(differences.Count == 0, string.Join("\n", differences));
        if (model is not null) Assert.NotNull(JsonSerializer.Deserialize(recorded(), model, GitHubClient.Json));
    }
}

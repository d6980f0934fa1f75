namespace Baton.Demo.GitHubEmulator;

// The emulator's in-memory state. Mutable, and only touched under EmulatorStore.Gate.

sealed class EmulatedRepository(long id, string owner, string name)
{
    public long Id { get; } = id;
    public string Owner { get; } = owner;
    public string Name { get; } = name;
    public string FullName => $"{Owner}/{Name}";
    public string DefaultBranch { get; set; } = "main";
    /// <summary>The bare repository behind it (<c>{gitRoot}/{owner}/{repo}.git</c>), or null: refs, files and merges in memory.</summary>
    public string? GitPath { get; set; }
    /// <summary>Set once the refs were first read from git (that first read announces nothing).</summary>
    public bool GitSynced { get; set; }
    /// <summary>Scripted CI runs so far, by branch.</summary>
    public Dictionary<string, int> CiRuns { get; } = new(StringComparer.Ordinal);
    public int LastNumber { get; set; }
    public int LastMilestoneNumber { get; set; }
    public SortedDictionary<int, EmulatedIssue> Issues { get; } = [];
    public SortedDictionary<int, EmulatedMilestone> Milestones { get; } = [];
    public Dictionary<string, EmulatedLabel> Labels { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Full ref name (<c>refs/heads/main</c>) → commit sha.</summary>
    public Dictionary<string, string> Refs { get; } = new(StringComparer.Ordinal);
    public List<EmulatedCheckRun> CheckRuns { get; } = [];
    /// <summary>Commit statuses (<c>POST …/statuses/{sha}</c>), oldest first.</summary>
    public List<EmulatedStatus> Statuses { get; } = [];
}

sealed record EmulatedLabel(long Id, string Name, string Color);

sealed class EmulatedIssue(long id, EmulatedRepository repository, int number, string title, string author, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public EmulatedRepository Repository { get; } = repository;
    public int Number { get; } = number;
    public string Title { get; set; } = title;
    public string? Body { get; set; }
    public string Author { get; } = author;
    public string State { get; set; } = "open";
    public string? StateReason { get; set; }
    public List<EmulatedLabel> Labels { get; } = [];
    public List<string> Assignees { get; } = [];
    public EmulatedMilestone? Milestone { get; set; }
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public DateTimeOffset? ClosedAt { get; set; }
    public List<EmulatedComment> Comments { get; } = [];
    public List<EmulatedIssueEvent> Events { get; } = [];
    /// <summary>GitHub's native "blocked by" relationships; blockers may live in other repositories.</summary>
    public List<EmulatedIssue> BlockedBy { get; } = [];
    /// <summary>Set when this issue number is a pull request (they share one number space, as on GitHub).</summary>
    public EmulatedPullRequest? PullRequest { get; set; }
    public bool IsOpen => State == "open";
}

sealed record EmulatedComment(long Id, string Body, string Author, DateTimeOffset CreatedAt);

sealed record EmulatedIssueEvent(long Id, string Event, string Actor, DateTimeOffset CreatedAt, EmulatedLabel? Label = null, string? Assignee = null, string? Milestone = null);

sealed class EmulatedMilestone(long id, EmulatedRepository repository, int number, string title, string creator, DateTimeOffset createdAt)
{
    public long Id { get; } = id;
    public EmulatedRepository Repository { get; } = repository;
    public int Number { get; } = number;
    public string Title { get; set; } = title;
    public string? Description { get; set; }
    public string State { get; set; } = "open";
    public string Creator { get; } = creator;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset UpdatedAt { get; set; } = createdAt;
    public DateTimeOffset? DueOn { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int OpenIssues => Repository.Issues.Values.Count(i => i.Milestone == this && i.PullRequest is null && i.IsOpen);
    public int ClosedIssues => Repository.Issues.Values.Count(i => i.Milestone == this && i.PullRequest is null && !i.IsOpen);
}

sealed class EmulatedPullRequest(long id, EmulatedIssue issue, string head, string headSha, string @base, string baseSha)
{
    public long Id { get; } = id;
    public EmulatedIssue Issue { get; } = issue;
    public string Head { get; } = head;
    public string HeadSha { get; set; } = headSha;
    public string Base { get; } = @base;
    public string BaseSha { get; set; } = baseSha;
    /// <summary>False when the head no longer merges cleanly into the base (git-backed repositories).</summary>
    public bool Mergeable { get; set; } = true;
    public bool Draft { get; init; }
    public bool Merged { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public string? MergeCommitSha { get; set; }
    public string? MergedBy { get; set; }
    public List<EmulatedFile> Files { get; } = [];
    public List<EmulatedReview> Reviews { get; } = [];
}

/// <summary>A changed file of a pull request, as <c>GET …/pulls/{n}/files</c> lists it.</summary>
public sealed record EmulatedFile(string Filename, string Status = "modified", int Additions = 1, int Deletions = 0, string? Patch = null);

/// <summary>A review; <see cref="State"/> as REST spells it: <c>APPROVED</c>, <c>CHANGES_REQUESTED</c>, <c>COMMENTED</c>, <c>PENDING</c>.</summary>
sealed record EmulatedReview(long Id, string State, string Reviewer, string CommitId, DateTimeOffset SubmittedAt, string? Body = null);

sealed record EmulatedCheckRun(long Id, long SuiteId, string Name, string HeadSha, string Status, string? Conclusion, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt,
    string? Title = null, string? Summary = null);

/// <summary>A commit status; <see cref="State"/> is error, failure, pending or success.</summary>
sealed record EmulatedStatus(long Id, string Sha, string State, string Context, string? Description, string? TargetUrl, string Creator,
    DateTimeOffset CreatedAt);

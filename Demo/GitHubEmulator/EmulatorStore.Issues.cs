using System.Text.Json.Nodes;

namespace Baton.Demo.GitHubEmulator;

sealed partial class EmulatorStore
{
    public EmulatedIssue CreateIssue(EmulatedRepository repository, string title, string? body, IEnumerable<string> labels, string actor)
    {
        lock (Gate)
        {
            var issue = new EmulatedIssue(NextId(), repository, ++repository.LastNumber, title, actor, Now) { Body = body };
            repository.Issues[issue.Number] = issue;
            Announce("issues", "opened", repository, actor, p => p["issue"] = Json.Issue(issue));
            AddLabels(issue, labels, actor);
            return issue;
        }
    }

    /// <summary>Adds the labels the issue lacks; each one is an issue event and a <c>labeled</c> webhook, as on GitHub.</summary>
    public void AddLabels(EmulatedIssue issue, IEnumerable<string> names, string actor)
    {
        lock (Gate)
        {
            foreach (var name in names)
            {
                if (issue.Labels.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))) continue;
                var label = LabelNamed(issue.Repository, name);
                issue.Labels.Add(label);
                Touch(issue, new EmulatedIssueEvent(NextId(), "labeled", actor, Now, Label: label));
                AnnounceIssue(issue, "labeled", actor, p => p["label"] = Json.Label(label, issue.Repository));
            }
        }
    }

    /// <summary>False when the issue did not have the label.</summary>
    public bool RemoveLabel(EmulatedIssue issue, string name, string actor)
    {
        lock (Gate)
        {
            var label = issue.Labels.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
            if (label is null) return false;
            issue.Labels.Remove(label);
            Touch(issue, new EmulatedIssueEvent(NextId(), "unlabeled", actor, Now, Label: label));
            AnnounceIssue(issue, "unlabeled", actor, p => p["label"] = Json.Label(label, issue.Repository));
            return true;
        }
    }

    public void Assign(EmulatedIssue issue, IEnumerable<string> logins, string actor)
    {
        lock (Gate)
        {
            foreach (var login in logins)
            {
                if (issue.Assignees.Contains(login, StringComparer.OrdinalIgnoreCase)) continue;
                issue.Assignees.Add(login);
                Touch(issue, new EmulatedIssueEvent(NextId(), "assigned", actor, Now, Assignee: login));
                AnnounceIssue(issue, "assigned", actor, p => p["assignee"] = Json.User(login));
            }
        }
    }

    public EmulatedComment Comment(EmulatedIssue issue, string body, string actor)
    {
        lock (Gate)
        {
            var comment = new EmulatedComment(NextId(), body, actor, Now);
            issue.Comments.Add(comment);
            issue.UpdatedAt = Now;
            AnnounceIssue(issue, "created", actor, p => p["comment"] = Json.Comment(comment, issue), "issue_comment");
            return comment;
        }
    }

    public void SetState(EmulatedIssue issue, bool open, string actor, string? reason = null)
    {
        lock (Gate)
        {
            if (issue.IsOpen == open) return;
            issue.State = open ? "open" : "closed";
            issue.StateReason = open ? "reopened" : reason ?? "completed";
            issue.ClosedAt = open ? null : Now;
            Touch(issue, new EmulatedIssueEvent(NextId(), open ? "reopened" : "closed", actor, Now));
            if (issue.PullRequest is { } pull) AnnouncePullRequest(pull, open ? "reopened" : "closed", actor);
            else AnnounceIssue(issue, open ? "reopened" : "closed", actor);
        }
    }

    public void SetMilestone(EmulatedIssue issue, EmulatedMilestone milestone, string actor)
    {
        lock (Gate)
        {
            if (issue.Milestone == milestone) return;
            issue.Milestone = milestone;
            Touch(issue, new EmulatedIssueEvent(NextId(), "milestoned", actor, Now, Milestone: milestone.Title));
            AnnounceIssue(issue, "milestoned", actor, p => p["milestone"] = Json.Milestone(milestone));
        }
    }

    public EmulatedMilestone CreateMilestone(EmulatedRepository repository, string title, string actor, string? description = null, DateTimeOffset? dueOn = null)
    {
        lock (Gate)
        {
            var milestone = new EmulatedMilestone(NextId(), repository, ++repository.LastMilestoneNumber, title, actor, Now)
            {
                Description = description,
                DueOn = dueOn,
            };
            repository.Milestones[milestone.Number] = milestone;
            Announce("milestone", "created", repository, actor, p => p["milestone"] = Json.Milestone(milestone));
            return milestone;
        }
    }

    public void UpdateMilestone(EmulatedMilestone milestone, string? title, string? state, string? description, DateTimeOffset? dueOn, string actor)
    {
        lock (Gate)
        {
            if (state is not (null or "open" or "closed")) throw Invalid($"Validation Failed: state '{state}' is not open or closed");
            var edited = (title is not null && title != milestone.Title) || (description is not null && description != milestone.Description)
                || (dueOn is not null && dueOn != milestone.DueOn);
            milestone.Title = title ?? milestone.Title;
            milestone.Description = description ?? milestone.Description;
            milestone.DueOn = dueOn ?? milestone.DueOn;
            var changedState = state is not null && state != milestone.State;
            if (changedState)
            {
                milestone.State = state!;
                milestone.ClosedAt = state == "closed" ? Now : null;
            }
            if (!edited && !changedState) return;
            milestone.UpdatedAt = Now;
            var action = changedState ? (state == "closed" ? "closed" : "opened") : "edited";
            Announce("milestone", action, milestone.Repository, actor, p => p["milestone"] = Json.Milestone(milestone));
        }
    }

    /// <summary>GitHub's native relationship: <paramref name="blocked"/> is blocked by <paramref name="blocker"/>.</summary>
    public void AddBlockedBy(EmulatedIssue blocked, EmulatedIssue blocker, string actor)
    {
        lock (Gate)
        {
            if (blocked == blocker) throw Invalid("Validation Failed: an issue cannot block itself");
            if (blocked.BlockedBy.Contains(blocker)) throw Invalid("Validation Failed: the dependency already exists");
            blocked.BlockedBy.Add(blocker);
            blocked.UpdatedAt = Now;
            AnnounceDependency(blocked, blocker, "blocked_by_added", actor);
        }
    }

    public bool RemoveBlockedBy(EmulatedIssue blocked, EmulatedIssue blocker, string actor)
    {
        lock (Gate)
        {
            if (!blocked.BlockedBy.Remove(blocker)) return false;
            blocked.UpdatedAt = Now;
            AnnounceDependency(blocked, blocker, "blocked_by_removed", actor);
            return true;
        }
    }

    void AnnounceDependency(EmulatedIssue blocked, EmulatedIssue blocker, string action, string actor) =>
        Announce("issue_dependencies", action, blocked.Repository, actor, p =>
        {
            p["blocked_issue_id"] = blocked.Id;
            p["blocked_issue"] = Json.Issue(blocked);
            p["blocking_issue_id"] = blocker.Id;
            p["blocking_issue"] = Json.Issue(blocker);
        });

    void Touch(EmulatedIssue issue, EmulatedIssueEvent issueEvent)
    {
        issue.Events.Add(issueEvent);
        issue.UpdatedAt = issueEvent.CreatedAt;
    }

    /// <summary>An issues (or issue_comment) webhook; on a pull request GitHub sends the pull_request event instead.</summary>
    void AnnounceIssue(EmulatedIssue issue, string action, string actor, Action<JsonObject>? fill = null, string gitHubEvent = "issues")
    {
        if (issue.PullRequest is { } pull && gitHubEvent == "issues")
        {
            AnnouncePullRequest(pull, action, actor, fill);
            return;
        }
        Announce(gitHubEvent, action, issue.Repository, actor, p =>
        {
            p["issue"] = Json.Issue(issue);
            fill?.Invoke(p);
        });
    }
}

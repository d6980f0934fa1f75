using Baton.Activities.GitHub;
using Baton.Activities.Notifications;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>Tells people something needs them: one issue comment per marker (so a retry or replay posts nothing twice),
/// the <c>needs-human</c> label when asked, and the notification port (Discord in a later issue).</summary>
public sealed class NotifyPeople(GitHubClient github, INotificationChannel notifications) : TaskActivity<PeopleNotice, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PeopleNotice notice)
    {
        var (owner, repo, number) = (notice.Issue.Owner, notice.Issue.Repo, notice.Issue.Number);
        if (notice.NeedsHuman) await github.EnsureLabelAsync(owner, repo, number, BoardLabels.NeedsHuman, CancellationToken.None);
        var comment = await github.CreateCommentOnceAsync(owner, repo, number, notice.Marker, notice.Body, CancellationToken.None);
        if (comment.Created)
            await notifications.SendAsync(new Notification(notice.Kind, notice.Title, notice.Body, comment.Comment.HtmlUrl),
                $"{context.InstanceId}:{notice.Marker}", CancellationToken.None);
        return comment.Created;
    }
}

using Baton.Activities.Notifications;
using Baton.Hosting;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Moq;

namespace Baton.Tests.Pipeline;

/// <summary>What the pipeline's news notifications carry to the channel: a key a retry repeats, and the dashboard link.</summary>
public sealed class SendNotificationTests
{
    [Fact]
    public async Task A_notification_is_keyed_by_its_instance_kind_and_title_and_links_the_dashboard_when_there_is_one()
    {
        var channel = new RecordingChannel();
        var context = new Mock<TaskActivityContext>();
        context.SetupGet(c => c.InstanceId).Returns("issue:acme/app#7");
        var send = new SendNotification(channel, Options.Create(new BatonOptions { PublicUrl = "https://baton.example.test" }));

        await send.RunAsync(context.Object, new Notification("pr-ready", "Pull request #42 is open for acme/app#7", "Add login", "https://github.test/pr/42"));
        await send.RunAsync(context.Object, new Notification("pr-ready", "Pull request #42 is open for acme/app#7", "Add login", "https://github.test/pr/42"));

        Assert.Equal(["issue:acme/app#7:pr-ready:Pull request #42 is open for acme/app#7"], channel.Keys.Distinct());
        Assert.Equal(("Dashboard", "https://baton.example.test/"), (channel.Sent[0].Links.Single().Label, channel.Sent[0].Links.Single().Url));
    }

    [Fact]
    public async Task Without_a_public_url_nothing_is_added()
    {
        var channel = new RecordingChannel();
        var send = new SendNotification(channel, Options.Create(new BatonOptions()));

        await send.RunAsync(Mock.Of<TaskActivityContext>(c => c.InstanceId == "conductor"), new Notification("milestone-complete", "Done", "All merged."));

        Assert.Empty(channel.Sent.Single().Links);
    }

    sealed class RecordingChannel : INotificationChannel
    {
        public List<Notification> Sent { get; } = [];
        public List<string> Keys { get; } = [];

        public Task SendAsync(Notification notification, string idempotencyKey, CancellationToken cancellationToken)
        {
            Sent.Add(notification);
            Keys.Add(idempotencyKey);
            return Task.CompletedTask;
        }
    }
}

using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Activities.Escalations;
using Baton.Activities.Discord;
using Baton.Activities.Features;
using Baton.Activities.GitHub;
using Baton.Activities.Hello;
using Baton.Activities.Jira;
using Baton.Activities.Notifications;
using Baton.Activities.Ollama;
using Baton.Activities.PullRequests;
using Baton.Activities.Transcription;
using Baton.Activities.Transcription.WhisperNet;
using Baton.Activities.Voice;
using Baton.Functions;
using Baton.Functions.Dashboard;
using Baton.Functions.People;
using Baton.Functions.Voice;
using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Baton.Orchestrations.Pipeline;
using Baton.Orchestrations.Voice;

return await HostCommandLine.RunAsync(args, Program.BuildApp);

public partial class Program
{
    /// <summary>The whole host, composed. <c>baton serve</c> runs it; tests build it the same way.</summary>
    public static WebApplication BuildApp(HostSettings settings)
    {
        var builder = BatonHost.CreateBuilder(settings);
        builder.AddServiceDefaults();
        builder.AddStorageDefaults();
        builder.AddDurableTasks(tasks => tasks
            .AddOrchestrator<HelloSequenceOrchestration>()
            .AddOrchestrator<RouteGitHubDeliveryOrchestration>()
            .AddOrchestrator<ConductorOrchestration>()
            .AddOrchestrator<IssueOrchestration>()
            .AddOrchestrator<AgentJobOrchestration>()
            .AddOrchestrator<EscalationOrchestration>()
            .AddOrchestrator<RunnerPresenceOrchestration>()
            .AddOrchestrator<DiscordMessageOrchestration>()
            .AddOrchestrator<RouteJiraDeliveryOrchestration>()
            .AddOrchestrator<FeatureOrchestration>()
            .AddOrchestrator<FollowFeatureOrchestration>()
            .AddOrchestrator<VoiceIntakeOrchestration>()
            .AddActivity<TranscribeVoice>()
            .AddActivity<ReadVoiceSettings>()
            .AddActivity<ExtractVoiceIntent>()
            .AddActivity<CreateVoiceTicket>()
            .AddActivity<DiscardVoiceAudio>()
            .AddActivity<StartFeature>()
            .AddActivity<ReadFeature>()
            .AddActivity<DraftFeaturePlan>()
            .AddActivity<EnsureFeatureMilestone>()
            .AddActivity<EnsurePlannedIssue>()
            .AddActivity<LinkBlockers>()
            .AddActivity<ReportFeaturePlan>()
            .AddActivity<StartFeatureFollowUp>()
            .AddActivity<ReadFeatureProgress>()
            .AddActivity<TransitionJiraIssue>()
            .AddActivity<AskJiraForApproval>()
            .AddActivity<SayHello>()
            .AddActivity<ReadBoard>()
            .AddActivity<ApplyLabelChanges>()
            .AddActivity<ReportCycle>()
            .AddActivity<ClaimIssue>()
            .AddActivity<StartIssueWork>()
            .AddActivity<CloseCompletedMilestones>()
            .AddActivity<SendNotification>()
            .AddActivity<OpenPullRequest>()
            .AddActivity<ReadCiStatus>()
            .AddActivity<PostReview>()
            .AddActivity<DecideGates>()
            .AddActivity<CheckApproval>()
            .AddActivity<MergePullRequest>()
            .AddActivity<QueueAgentJob>()
            .AddActivity<OpenEscalation>()
            .AddActivity<RemindEscalation>()
            .AddActivity<CloseEscalation>()
            .AddActivity<SetGateStatus>()
            .AddActivity<ClosePullRequest>()
            .AddActivity<PostDiscordMessage>()
            .AddActivity<EditDiscordMessage>()
            .AddActivity<FindDiscordMessage>());
        builder.Services.AddOptions<ConductorOptions>().BindConfiguration(ConductorOptions.SectionName).ValidateDataAnnotations();
        builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => !o.ReviewerIsImplementer, "Pipeline:Reviewer must differ from Pipeline:Implementer (another adapter, or another model): an agent never reviews its own work.")
            .Validate(o => o.IsKnownAgent(o.Implementer) && o.IsKnownAgent(o.Reviewer), $"Pipeline:Implementer and Pipeline:Reviewer must each be one of {string.Join(", ", AgentJobs.KnownAgents)}.")
            .ValidateOnStart();
        builder.Services.AddOptions<GateOptions>().BindConfiguration(GateOptions.SectionName);
        builder.Services.AddOptions<BatonOptions>().BindConfiguration(BatonOptions.SectionName);
        builder.Services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.SectionName);
        builder.Services.AddOptions<VoiceOptions>().BindConfiguration(VoiceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTransient<EscalationMessages>();
        builder.Services.AddSingleton<EscalationDesk>();
        builder.Services.AddGitHub();
        builder.Services.AddDiscord(builder.Configuration);
        builder.Services.AddDiscordInteractions();
        builder.Services.AddJira();
        builder.Services.AddOllama();
        builder.Services.AddTranscription();
        builder.Services.AddWhisperNet();
        builder.AddAgentRunners();
        builder.AddManagementApi();
        builder.AddDashboard();
        builder.AddVoiceIntake();
        settings.Customize?.Invoke(builder);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapHealthEndpoints();
        app.MapManagementApi();
        app.MapGitHubWebhook();
        app.MapDiscordInteractions();
        app.MapJiraWebhook();
        app.MapRunnerProtocol();
        app.MapDashboard();
        app.MapVoiceIntake();
        app.StartConductor();
        return app;
    }
}

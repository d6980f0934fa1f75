using Baton.Activities.Jira;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Voice;

/// <summary>Reads the settings a spoken request is handled with (its Jira projects and their repositories, the voice
/// options), once per request, so a replay decides with the same ones even if the configuration changed meanwhile.</summary>
public sealed class ReadVoiceSettings(IOptions<VoiceOptions> voice, IOptions<JiraOptions> jira) : TaskActivity<string, VoiceSettings>
{
    public override Task<VoiceSettings> RunAsync(TaskActivityContext context, string voiceId)
    {
        var options = voice.Value;
        var projects = jira.Value.Projects
            .Select(p => new VoiceProject(p.Key.ToUpperInvariant(), p.Value.RepositoryList))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new VoiceSettings(projects, options.DefaultProject?.ToUpperInvariant(), options.MinConfidence,
            options.MaxClarificationRounds, options.AutoDispatch));
    }
}

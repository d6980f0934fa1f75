using Baton.Orchestrations.Voice;
using Microsoft.DurableTask;

namespace Baton.Activities.Ollama;

/// <summary>Asks the model what a spoken request wants (JSON in <see cref="VoiceIntentSchema"/>). Returns the answer as it
/// came: the orchestration validates it and asks again with the errors. No side effects; safe to repeat.</summary>
public sealed class ExtractVoiceIntent(OllamaClient ollama) : TaskActivity<IntentDraftRequest, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, IntentDraftRequest request) =>
        ollama.ChatJsonAsync(VoicePrompt.System(request), VoicePrompt.User(request, UntrustedData.NewBoundary()), VoiceIntentSchema.Element, CancellationToken.None);
}

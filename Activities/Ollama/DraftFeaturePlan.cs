using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Activities.Ollama;

/// <summary>Asks the model for a plan of the feature (JSON in the plan's schema). Returns the answer as it came: the
/// orchestration validates it and, when it is not a plan, asks again with the errors. No side effects; safe to repeat.</summary>
public sealed class DraftFeaturePlan(OllamaClient ollama) : TaskActivity<PlanDraftRequest, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, PlanDraftRequest request) =>
        ollama.ChatJsonAsync(FeaturePrompt.System(request), FeaturePrompt.User(request, FeaturePrompt.NewBoundary()),
            FeaturePlanSchema.Element, CancellationToken.None);
}

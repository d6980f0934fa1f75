using Baton.Activities.Voice;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Baton.Activities.Transcription;

public static class TranscriptionServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="TranscribeVoice"/> needs: the <c>Transcription</c> and <c>Voice</c> options (validated at
    /// start), the <see cref="AudioConverter"/>, and the HTTP providers as typed HttpClients, each also a keyed
    /// <see cref="ITranscriber"/> under its <see cref="TranscriptionOptions.Provider"/> name (<c>OpenAI</c>,
    /// <c>WhisperCpp</c>; <c>WhisperNet</c> is registered by its own folder). A missing or unknown provider does not stop
    /// the host: each transcription then fails as Permanent, saying which key to set.
    /// </summary>
    public static IServiceCollection AddTranscription(this IServiceCollection services)
    {
        services.AddOptions<TranscriptionOptions>()
            .BindConfiguration(TranscriptionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<VoiceOptions>()
            .BindConfiguration(VoiceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AudioConverter>();
        services.AddHttpClient<OpenAiTranscriber>(ConfigureHttp);
        services.AddHttpClient<WhisperCppTranscriber>(ConfigureHttp);
        // Transient like the typed clients they forward to, so each call gets a handler from the factory's rotation.
        services.AddKeyedTransient<ITranscriber>(TranscriptionOptions.OpenAI, (provider, _) => provider.GetRequiredService<OpenAiTranscriber>());
        services.AddKeyedTransient<ITranscriber>(TranscriptionOptions.WhisperCpp, (provider, _) => provider.GetRequiredService<WhisperCppTranscriber>());
        return services;
    }

    static void ConfigureHttp(HttpClient http)
    {
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Baton");
        // Each call has its own limit (Transcription__Timeout), reported as a Timeout failure rather than a cancellation.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }
}

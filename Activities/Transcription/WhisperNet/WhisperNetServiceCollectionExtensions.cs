namespace Baton.Activities.Transcription.WhisperNet;

public static class WhisperNetServiceCollectionExtensions
{
    /// <summary>Registers <see cref="WhisperNetTranscriber"/> as the <see cref="ITranscriber"/> keyed
    /// <see cref="TranscriptionOptions.WhisperNet"/>. It reads <see cref="TranscriptionOptions"/>, which the
    /// transcription slice binds from the <c>Transcription</c> section.</summary>
    public static IServiceCollection AddWhisperNet(this IServiceCollection services)
    {
        services.AddKeyedSingleton<ITranscriber, WhisperNetTranscriber>(TranscriptionOptions.WhisperNet);
        return services;
    }
}

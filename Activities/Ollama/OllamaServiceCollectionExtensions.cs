using Microsoft.Extensions.Options;

namespace Baton.Activities.Ollama;

public static class OllamaServiceCollectionExtensions
{
    /// <summary>Registers <see cref="OllamaClient"/> (a typed HttpClient on <c>Ollama__BaseUrl</c>) bound to the <c>Ollama</c> section.</summary>
    public static IServiceCollection AddOllama(this IServiceCollection services)
    {
        services.AddOptions<OllamaOptions>()
            .BindConfiguration(OllamaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<OllamaStatusHandler>();
        services.AddHttpClient<OllamaClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
            if (options.BaseUrl is { } url) http.BaseAddress = new Uri(url.ToString().EndsWith('/') ? url.ToString() : url + "/");
            http.Timeout = options.RequestTimeout;
        }).AddHttpMessageHandler<OllamaStatusHandler>();
        return services;
    }
}

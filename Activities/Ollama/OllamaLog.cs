using Baton.Failures;

namespace Baton.Activities.Ollama;

/// <summary>Log messages of the Ollama client (event ids 6000–6099). Never the prompt or the answer.</summary>
static partial class OllamaLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "Ollama {Model} answered {Characters} characters in {Elapsed}")]
    public static partial void Answered(ILogger logger, string model, int characters, TimeSpan elapsed);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Ollama {Path} failed: {FailureClass} (status {Status}): {OllamaError}")]
    public static partial void Failed(ILogger logger, string path, FailureClass failureClass, int? status, string? ollamaError);
}

using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Ollama;

/// <summary>Where Baton's local LLM runs (ARCHITECTURE.md §3.3). Without <see cref="BaseUrl"/> planning is reported off.</summary>
public sealed class OllamaOptions
{
    public const string SectionName = "Ollama";

    /// <summary>The Ollama server, e.g. <c>http://localhost:11434</c> (or the emulator).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The model that plans features; it must support structured outputs (a JSON schema <c>format</c>).</summary>
    [Required]
    public string Model { get; set; } = "llama3.1";

    /// <summary>One chat call's time limit: a local model on a CPU can take minutes for a long plan.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sampling temperature; low keeps plans steady across retries.</summary>
    [Range(0.0, 2.0)]
    public double Temperature { get; set; } = 0.2;
}

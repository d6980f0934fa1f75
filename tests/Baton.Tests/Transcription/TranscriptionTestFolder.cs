namespace Baton.Tests.Transcription;

/// <summary>A fresh folder under the temp directory for one test's uploads and conversions, deleted afterwards.</summary>
public sealed class TranscriptionTestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("baton-transcription-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The leftovers of an interrupted conversion (temporary names), which must never stay behind.</summary>
    public IReadOnlyList<string> Partials => [.. Directory.EnumerateFiles(Path, "*.partial")];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

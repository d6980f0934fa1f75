using System.Net;
using Baton.Demo.WhisperEmulator;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Transcription;

/// <summary>The emulator itself, as other tests and the demo lean on it: script first, then the fallback, then a 500;
/// what it records of each upload.</summary>
public sealed class WhisperEmulatorTests : IAsyncLifetime
{
    readonly WhisperEmulator emulator = new();
    readonly HttpClient http = new();

    public async Task InitializeAsync() => http.BaseAddress = await emulator.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    [Fact]
    public async Task Answers_TheScriptInOrder_ThenTheFallback_ThenA500()
    {
        emulator.Script(new WhisperReply("one"), new WhisperReply("two"));

        var answers = new List<string>();
        for (var i = 0; i < 3; i++) answers.Add(await TranscribeAsync(Speech.Wav16k));
        emulator.Fallback = call => new WhisperReply($"heard {call.FileLength} bytes");
        answers.Add(await TranscribeAsync(Speech.Wav16k));

        Assert.Equal(["200 one", "200 two", "500 no scripted reply left", $"200 heard {new FileInfo(Speech.Wav16k).Length} bytes"], answers);
    }

    [Fact]
    public async Task Records_WhetherTheUploadIsA16kMonoWav()
    {
        emulator.Fallback = _ => new WhisperReply("ok");

        await TranscribeAsync(Speech.Wav16k);
        await TranscribeAsync(Speech.Microphone48k);
        await TranscribeAsync(Speech.As("mp3"));

        Assert.Equal([true, false, false], emulator.Calls.Select(c => c.IsWhisperWav));
        Assert.Equal([48_000], emulator.Calls.Skip(1).Take(1).Select(c => c.Wav!.SampleRate));
        Assert.Equal("ID3", System.Text.Encoding.ASCII.GetString(emulator.Calls[2].FileHead[..3]));
    }

    [Fact]
    public async Task Health_IsOk()
    {
        using var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await response.Content.ReadAsStringAsync());
    }

    async Task<string> TranscribeAsync(string path)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", Path.GetFileName(path));
        form.Add(new StringContent("whisper-1"), "model");
        form.Add(new StringContent("json"), "response_format");
        using var response = await http.PostAsync(WhisperEmulator.OpenAiPath.TrimStart('/'), form);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return $"{(int)response.StatusCode} {body["text"] ?? body["error"]!["message"]}";
    }
}

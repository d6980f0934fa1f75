using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Activities.Transcription;
using Baton.Demo.WhisperEmulator;
using Baton.Failures;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Transcription;

/// <summary>
/// Baton's transcription code against what the real servers were recorded to say (shared/fixtures/transcription):
/// every recorded response is read by the providers' parser, the requests Baton sends use only recorded part names,
/// whisper.cpp's error pages are classified as errors.json describes them, and the emulator answers in the recorded
/// shapes.
/// </summary>
public sealed class TranscriptionConformanceTests
{
    static string OpenAi(string name) => Path.Combine(SharedFixtures.Root, "transcription", "openai", name);

    static string WhisperCpp(string name) => Path.Combine(SharedFixtures.Root, "transcription", "whisper-cpp", name);

    /// <summary>Every response in OpenAI's examples, with what a reader of the recording sees in it.</summary>
    public static TheoryData<string, string, string?, double?> OpenAiResponses => new()
    {
        { "default.response.json", "Imagine the wildest idea that you've ever had", null, null },
        { "diarization.response.json", "Agent: Thanks for calling OpenAI support. A: Hi, I'm trying to enable diarization.", null, 27.4 },
        { "logprobs.response.json", "Hey, my knee is hurting and I want to see the doctor tomorrow ideally.", null, null },
        { "segment-timestamps.response.elided.jsonc", "The beach was a popular spot on a hot summer day.", "english", 8.470000267028809 },
        { "word-timestamps.response.elided.jsonc", "The beach was a popular spot on a hot summer day.", "english", 8.470000267028809 },
        { "streaming.response.sse.txt", "I see skies of blue and clouds of white,", null, null },
    };

    [ConformanceTheory]
    [MemberData(nameof(OpenAiResponses))]
    public async Task OpenAiRecordedResponse_IsReadByTheParser(string file, string starts, string? language, double? duration)
    {
        var body = await File.ReadAllTextAsync(OpenAi(file));
        if (file.EndsWith(".jsonc", StringComparison.Ordinal)) body = ElidedJson.Repair(body);

        var answer = WhisperAnswer.Parse(body, file.EndsWith(".sse.txt", StringComparison.Ordinal) ? "text/event-stream" : "application/json");

        Assert.StartsWith(starts, WhisperAnswer.Clean(answer.Text), StringComparison.Ordinal);
        Assert.Equal((language, duration), (answer.Language, answer.DurationSeconds));
    }

    [ConformanceFact]
    public async Task OpenAiExamples_AreAllCoveredAbove()
    {
        using var examples = JsonDocument.Parse(await File.ReadAllTextAsync(OpenAi("_examples.json")));
        var covered = OpenAiResponses.Select(row => (string)row[0]).ToHashSet();

        Assert.All(examples.RootElement.EnumerateArray(), e => Assert.Contains(e.GetProperty("response").GetString()!, covered));
    }

    [ConformanceFact]
    public async Task OpenAiStream_DoneEventAndDeltasAgree()
    {
        var stream = await File.ReadAllTextAsync(OpenAi("streaming.response.sse.txt"));
        var deltasOnly = string.Join('\n', stream.Split('\n').Where(l => !l.Contains("\"transcript.text.done\"", StringComparison.Ordinal)));

        Assert.Equal(WhisperAnswer.Parse(stream, "text/event-stream").Text, WhisperAnswer.Parse(deltasOnly, "text/event-stream").Text);
    }

    [ConformanceFact]
    public async Task OpenAiRequest_SendsOnlyDocumentedParts()
    {
        var api = JsonNode.Parse(await File.ReadAllTextAsync(OpenAi("openapi.transcriptions.subset.json")))!;
        var documented = api["components"]!["schemas"]!["CreateTranscriptionRequest"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI, new Dictionary<string, string?> { ["Transcription:Language"] = "en" });
        harness.Emulator.Script(new WhisperReply("ok"));

        await harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        var call = Assert.Single(harness.Emulator.Calls);
        Assert.Subset(documented, call.Fields.Keys.Append("file").ToHashSet());
        Assert.Contains(call.Field("response_format"), api["components"]!["schemas"]!["AudioResponseFormat"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [ConformanceTheory]
    [InlineData("json", "default.response.json")]
    [InlineData("verbose_json", "segment-timestamps.response.elided.jsonc")]
    public async Task OpenAiEmulator_AnswersInTheRecordedShape(string format, string recordedFile)
    {
        var recorded = ElidedJson.Repair(await File.ReadAllTextAsync(OpenAi(recordedFile)));
        await using var emulator = new WhisperEmulator();
        await emulator.StartAsync();
        emulator.Script(new WhisperReply("Add a dark mode toggle."));

        var own = await PostAsync(emulator, WhisperEmulator.OpenAiPath, ("model", "whisper-1"), ("response_format", format));

        Assert.Equal([], JsonShape.Differences(own, recorded));
    }

    [ConformanceFact]
    public async Task OpenAiEmulator_ErrorsHaveTheDocumentedMembers()
    {
        var api = JsonNode.Parse(await File.ReadAllTextAsync(OpenAi("openapi.transcriptions.subset.json")))!;
        var error = api["components"]!["schemas"]!["Error"]!;
        await using var emulator = new WhisperEmulator();
        await emulator.StartAsync();
        emulator.Script(WhisperReply.Error(429, "slow down", TimeSpan.FromSeconds(2)));

        var own = JsonNode.Parse(await PostAsync(emulator, WhisperEmulator.OpenAiPath, ("model", "whisper-1")))!["error"]!.AsObject();

        Assert.Equal(error["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order(), own.Select(p => p.Key).Order());
    }

    [ConformanceTheory]
    [InlineData(0, "", null)]
    [InlineData(1, "", "portuguese")]
    public async Task WhisperCppJsonExamples_AreRead(int index, string text, string? language)
    {
        using var examples = JsonDocument.Parse(await File.ReadAllTextAsync(WhisperCpp("inference.response.json-format.examples.json")));

        var answer = WhisperAnswer.Parse(examples.RootElement.GetProperty("examples")[index].GetProperty("body").GetRawText(), "application/json");

        Assert.Equal((text, language), (answer.Text, answer.Language));
    }

    [ConformanceFact]
    public async Task WhisperCppVerboseJsonSample_IsReadAsOneLineOfProse()
    {
        var sample = ElidedJson.Repair(await File.ReadAllTextAsync(WhisperCpp("inference.response.verbose_json.pr1781.elided.txt")));

        var answer = WhisperAnswer.Parse(sample, "application/json");

        Assert.Equal("That's one small step for man. One giant leap for mankind.", WhisperAnswer.Clean(answer.Text));
    }

    [ConformanceFact]
    public async Task WhisperCppEmulator_VerboseJsonUsesOnlyRecordedFields()
    {
        using var shape = JsonDocument.Parse(await File.ReadAllTextAsync(WhisperCpp("inference.response.verbose_json.shape.json")));
        var top = shape.RootElement.GetProperty("top_level").EnumerateObject().Select(p => p.Name).ToHashSet();
        var segment = shape.RootElement.GetProperty("segment").EnumerateObject().Select(p => p.Name).ToHashSet();
        var sample = ElidedJson.Repair(await File.ReadAllTextAsync(WhisperCpp("inference.response.verbose_json.pr1781.elided.txt")));
        await using var emulator = new WhisperEmulator();
        await emulator.StartAsync();
        emulator.Script(new WhisperReply("That's one small step for man."));

        var own = await PostAsync(emulator, WhisperEmulator.WhisperCppPath, ("response_format", "verbose_json"));

        var answer = JsonNode.Parse(own)!.AsObject();
        Assert.Subset(top, answer.Select(p => p.Key).ToHashSet());
        Assert.Subset(segment, answer["segments"]![0]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Subset(new HashSet<string> { "word", "start", "end", "t_dtw", "probability" }, answer["segments"]![0]!["words"]![0]!.AsObject().Select(p => p.Key).ToHashSet());
        // The sample predates later fields (task, language, duration…): everything it has, ours has, of the same kind.
        Assert.Equal([], JsonShape.Differences(sample, own));
    }

    [ConformanceFact]
    public async Task WhisperCppRequest_SendsOnlyRecordedParts()
    {
        using var fields = JsonDocument.Parse(await File.ReadAllTextAsync(WhisperCpp("inference.form-fields.json")));
        var known = fields.RootElement.GetProperty("optional").EnumerateObject().SelectMany(kind => kind.Value.EnumerateArray().Select(f => f.GetString()!))
            .Concat(fields.RootElement.GetProperty("required").EnumerateArray().Select(f => f.GetString()!)).ToHashSet();
        var formats = fields.RootElement.GetProperty("response_format").GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.WhisperCpp, new Dictionary<string, string?> { ["Transcription:Language"] = "en" });
        harness.Emulator.Script(new WhisperReply("ok"));

        await harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        var call = Assert.Single(harness.Emulator.Calls);
        Assert.Subset(known, call.Fields.Keys.Append("file").ToHashSet());
        Assert.Contains(call.Field("response_format"), formats);
    }

    /// <summary>Each recorded error of whisper.cpp's <c>/inference</c>, as its error handler delivers it (errors.json:
    /// a 400's body becomes "Invalid request", a 500 keeps its JSON, any other status becomes 404), classified.</summary>
    [ConformanceFact]
    public async Task WhisperCppRecordedErrors_AreClassifiedAsTheyArrive()
    {
        using var errors = JsonDocument.Parse(await File.ReadAllTextAsync(WhisperCpp("errors.json")));
        var inference = errors.RootElement.GetProperty("handler_bodies").EnumerateArray()
            .Where(e => e.GetProperty("endpoint").GetString() == WhisperEmulator.WhisperCppPath).ToList();
        Assert.NotEmpty(inference);
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.WhisperCpp);

        foreach (var error in inference)
        {
            var status = error.GetProperty("status").GetInt32();
            var text = error.GetProperty("body").GetProperty("error").GetString()!;
            harness.Emulator.Script(WhisperReply.WhisperCppError(status, text));

            var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
                harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

            var expected = status switch
            {
                400 => (FailureClass.Permanent, 400, "Invalid request"),
                500 => (FailureClass.Transient, 500, text),
                _ => (FailureClass.Permanent, 404, $"File Not Found ({WhisperEmulator.WhisperCppPath})"),
            };
            Assert.Equal(expected, (failure.FailureClass, failure.StatusCode ?? 0, failure.ServerError));
        }
    }

    static async Task<string> PostAsync(WhisperEmulator emulator, string path, params (string Name, string Value)[] fields)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Speech.Wav16k)), "file", "speech.wav");
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        using var response = await http.PostAsync(path.TrimStart('/'), form);
        return await response.Content.ReadAsStringAsync();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Voice;

/// <summary><c>POST /api/voice</c> over real HTTP against a real host: every refusal is a problem that starts no request
/// and leaves no file; good uploads answer 202 and start the request with what was sent.</summary>
public sealed class VoiceUploadEndpointTests(VoiceWebHost host) : IClassFixture<VoiceWebHost>
{
    [Fact]
    public async Task Upload_NoCredentials_Is401Problem()
    {
        using var http = new HttpClient { BaseAddress = host.Server.BaseAddress };
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Audio(wav, "audio/wav")), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Upload_WrongKey_Is401Problem(bool bearer)
    {
        using var http = host.KeyClient(VoiceWebHost.Key + "x", bearer);
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        var problem = await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Audio(wav, "audio/wav")), HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(VoiceWebHost.Key, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_TextDeclaredAsWav_Is415Problem()
    {
        using var http = host.KeyClient();
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not audio at all, only words. ", 200)));
        var problem = await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Audio(text, "audio/wav")), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_PdfNamedMp3InForm_Is415Problem()
    {
        using var http = host.KeyClient();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + new string('x', 4000));
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Form(pdf, "speech.mp3", "audio/mpeg")), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Upload_Empty_Is400Problem()
    {
        using var http = host.KeyClient();
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Audio([], "audio/wav")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Upload_FormWithoutFile_Is400Problem()
    {
        using var http = host.KeyClient();
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, new MultipartFormDataContent { { new StringContent("BATON"), "project" } }),
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Upload_ProjectNotAKey_Is400Problem()
    {
        using var http = host.KeyClient();
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload + "?project=" + Uri.EscapeDataString("../etc"), Audio(wav, "audio/wav")),
            HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload_LargerThanLimit_Is413ProblemWithNoFileLeft(bool chunked)
    {
        using var http = host.KeyClient();
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        var large = new byte[VoiceWebHost.MaxUploadBytes + 64 * 1024];
        wav.CopyTo(large, 0);
        await AssertRefusedAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, VoiceRoutes.Upload) { Content = Audio(large, "audio/wav") };
            // Chunked: no Content-Length to refuse up front, so the limit is found while the body streams to disk.
            if (chunked) request.Headers.TransferEncodingChunked = true;
            return http.SendAsync(request);
        }, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Upload_LongerThanMaxDuration_Is422Problem()
    {
        using var http = host.KeyClient();
        var words = string.Join(' ', Enumerable.Repeat("Please add a dark mode to the dashboard settings page and make it the default.", 4));
        var mp3 = await File.ReadAllBytesAsync(await host.Audio.ConvertedAsync("mp3", words));
        Assert.True(mp3.Length < VoiceWebHost.MaxUploadBytes, "the long recording must be refused for its length, not its size");
        var problem = await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Form(mp3, "long.mp3", "audio/mpeg")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("longer than the 8 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_TruncatedWebM_Is422ProblemSayingSo()
    {
        using var http = host.KeyClient();
        var webm = await File.ReadAllBytesAsync(await host.Audio.ConvertedAsync("webm", VoiceWebAudio.Request, "-c:a", "libopus"));
        var problem = await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Form(webm[..(webm.Length / 8)], "cut.webm", "audio/webm")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("truncated", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WavHeaderOnly_Is422Problem()
    {
        using var http = host.KeyClient();
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        await AssertRefusedAsync(() => http.PostAsync(VoiceRoutes.Upload, Audio(wav[..60], "audio/wav")), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Upload_WebMForm_Is202AndStartsTheRequest()
    {
        using var http = host.KeyClient();
        var webm = await File.ReadAllBytesAsync(await host.Audio.ConvertedAsync("webm", VoiceWebAudio.Request, "-c:a", "libopus"));
        var form = Form(webm, "recording.webm", "audio/webm");
        form.Add(new StringContent("BATON"), VoiceUploads.ProjectField);

        using var response = await http.PostAsync(VoiceRoutes.Upload, form);

        var request = await AssertStartedAsync(response, webm, "webm");
        Assert.Equal("BATON", request.Project);
        Assert.Equal(VoiceWebHost.KeyName, request.SubmittedBy);
    }

    [Fact]
    public async Task Upload_RawWavNamedTextWithXApiKey_Is202ByItsBytes()
    {
        using var http = host.KeyClient(bearer: false);
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        var content = Audio(wav, "text/plain");
        content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "notes.txt" };

        using var response = await http.PostAsync(VoiceRoutes.Upload + "?project=WEB", content);

        var request = await AssertStartedAsync(response, wav, "wav");
        Assert.Equal("WEB", request.Project);
    }

    [Fact]
    public async Task Upload_Mp3OggAndM4a_AreRecognised()
    {
        using var http = host.KeyClient();
        foreach (var (extension, format) in new[] { ("mp3", "mp3"), ("ogg", "ogg"), ("m4a", "m4a") })
        {
            var bytes = await File.ReadAllBytesAsync(await host.Audio.ConvertedAsync(extension, VoiceWebAudio.Request, extension == "ogg" ? ["-c:a", "libopus"] : []));
            using var response = await http.PostAsync(VoiceRoutes.Upload, Audio(bytes, "application/octet-stream"));
            await AssertStartedAsync(response, bytes, format);
        }
    }

    [Fact]
    public async Task Upload_ThirdAtOnceFromOneKey_Is429ProblemAndTheOthersFinish()
    {
        using var http = host.KeyClient(bearer: false);
        var wav = await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync());
        var held = Enumerable.Range(0, VoiceUploadFunction.MaxInFlightPerCaller).Select(_ => new VoiceWebHeldContent(wav, 8 * 1024)).ToList();
        var arriving = held.Select(content => http.PostAsync(VoiceRoutes.Upload, content)).ToList();
        await Eventually.HoldsAsync(() => host.UploadFiles().Count(f => f.EndsWith(".tmp", StringComparison.Ordinal)) >= held.Count,
            what: "the held uploads never reached the disk");

        using var third = await http.PostAsync(VoiceRoutes.Upload, Audio(wav, "audio/wav"));
        await ProblemAssert.IsProblemAsync(third, HttpStatusCode.TooManyRequests);
        Assert.NotNull(third.Headers.RetryAfter);

        held.ForEach(content => content.Release());
        foreach (var response in await Task.WhenAll(arriving))
            using (response)
                await AssertStartedAsync(response, wav, "wav");
        using var next = await http.PostAsync(VoiceRoutes.Upload, Audio(wav, "audio/wav"));
        await AssertStartedAsync(next, wav, "wav");
    }

    async Task<VoiceRequest> AssertStartedAsync(HttpResponseMessage response, byte[] sent, string format)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var receipt = JsonDocument.Parse(text).RootElement;
        var id = receipt.GetProperty("id").GetString()!;
        Assert.True(VoiceIds.IsId(id));
        Assert.Equal(VoiceRoutes.Status(id), response.Headers.Location?.ToString());
        Assert.Equal(VoiceRoutes.Status(id), receipt.GetProperty("statusUrl").GetString());
        Assert.Equal(VoiceRoutes.Events(id), receipt.GetProperty("eventsUrl").GetString());
        Assert.Equal(VoiceRoutes.Clarify(id), receipt.GetProperty("clarifyUrl").GetString());

        var instance = await host.Server.Client.GetInstanceAsync(VoiceIds.InstanceIdFor(id), getInputsAndOutputs: true);
        Assert.NotNull(instance);
        var request = instance.ReadInputAs<VoiceRequest>()!;
        Assert.Equal(id, request.Id);
        Assert.Equal(format, request.Format);
        Assert.Equal(sent.Length, request.Bytes);
        Assert.Equal(Path.Combine(host.UploadFolder, id + ".upload"), request.AudioPath);
        Assert.InRange(request.SubmittedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow);
        return request;
    }

    /// <summary>Sends, and asserts the answer is a problem with <paramref name="status"/>, that no request was started and
    /// that no upload appeared in the upload folder (earlier requests' files may come and go: their orchestrations convert
    /// and discard them).</summary>
    async Task<JsonElement> AssertRefusedAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode status)
    {
        var requests = await host.CountRequestsAsync();
        var files = host.UploadFiles();
        using var response = await send();
        var problem = await ProblemAssert.IsProblemAsync(response, status);
        Assert.Equal(requests, await host.CountRequestsAsync());
        // Uploads only (earlier requests' orchestrations write their converted WAVs beside them meanwhile).
        Assert.DoesNotContain(host.UploadFiles().Except(files), f => f.EndsWith(".upload", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));
        // A refusal is the caller's business: the host logs no error for it (no unhandled exception, no 500 on the way).
        Assert.DoesNotContain(host.Server.Logs.Entries, e => e.Level >= LogLevel.Error
            && (e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || e.Category.StartsWith("Baton.Functions", StringComparison.Ordinal)));
        return problem;
    }

    static ByteArrayContent Audio(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    static MultipartFormDataContent Form(byte[] bytes, string fileName, string type) => new() { { Audio(bytes, type), "file", fileName } };
}

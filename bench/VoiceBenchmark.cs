extern alias BatonHost;

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Demo.WhisperEmulator;
using Baton.Durable.Serialization;
using Baton.Functions.Voice;
using Baton.Hosting;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using static Baton.Bench.BenchStats;

namespace Baton.Bench;

/// <summary>
/// <c>bench voice [--count N] [--seconds S] [--upload-mb M]</c> (issue 14's measured case): the whole host (SQLite) with the
/// Jira, Ollama and Whisper emulators over loopback. A spoken request — an S-second 16 kHz mono WAV, made here — is uploaded
/// N times, one after another; each is measured from the start of the upload to its 202 and to its orchestration completing
/// with the Jira ticket filed (scripted transcript and model, real ffmpeg conversion). Then one M-MiB recording (48 kHz
/// stereo, generated while it is sent, so the client holds none of it) is uploaded while the process's working set and
/// managed allocations are sampled: streamed to disk, the peak must not grow with the upload's size, so a 1/10-size upload
/// is measured the same way beside it.
/// </summary>
static class VoiceBenchmark
{
    const string Key = "bench-voice-key";

    public static async Task<string> RunAsync(IConfiguration options)
    {
        var count = int.Parse(options["count"] ?? "20", CultureInfo.InvariantCulture);
        var seconds = int.Parse(options["seconds"] ?? "30", CultureInfo.InvariantCulture);
        var megabytes = int.Parse(options["upload-mb"] ?? "50", CultureInfo.InvariantCulture);
        await using var jira = new JiraEmulator();
        await using var ollama = new OllamaEmulator();
        await using var whisper = new WhisperEmulator();
        await Task.WhenAll(jira.StartAsync(), ollama.StartAsync(), whisper.StartAsync());
        whisper.Fallback = _ => new WhisperReply("Add a dark mode toggle to the settings page, and remember the choice per user.");
        ollama.Fallback = _ => new OllamaReply(Intent);

        var folder = Directory.CreateTempSubdirectory("baton-voice-").FullName;
        var app = BatonHost::Program.BuildApp(new HostSettings([
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            $"--Durable:ConnectionString={Path.Combine(folder, "baton.db")}", "--Durable:Retention:Enabled=false",
            $"--Jira:BaseUrl={jira.BaseUrl}", $"--Jira:Email={jira.Email}", $"--Jira:ApiToken={jira.ApiToken}", "--Jira:Projects:SHOP:Repository=bench/shop",
            $"--Ollama:BaseUrl={ollama.BaseUrl}", "--Ollama:Model=listener",
            "--Transcription:Provider=OpenAI", $"--Transcription:BaseUrl={whisper.BaseUrl}",
            $"--Voice:ApiKeys:0=bench:{Key}", $"--Voice:UploadDirectory={Path.Combine(folder, "voice")}", "--Voice:MaxUploadBytes=209715200"]));
        await app.StartAsync();
        try
        {
            var baton = new Uri(app.Urls.First());
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            var wav = Wav(seconds, sampleRate: 16_000, channels: 1);

            await RequestAsync(http, client, baton, wav);   // warm-up: JIT, first ffmpeg, first connections
            var accepted = new List<double>();
            var filed = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var (toAccepted, toFiled) = await RequestAsync(http, client, baton, wav);
                accepted.Add(toAccepted);
                filed.Add(toFiled);
            }

            var small = await UploadPeakAsync(http, baton, megabytes * 1024L * 1024 / 10);
            var large = await UploadPeakAsync(http, baton, megabytes * 1024L * 1024);
            return $"voice count={count} audio_s={seconds} wav_kib={wav.Length / 1024} " +
                   $"accepted_p50_ms={F(Percentile(accepted, 50))} accepted_p99_ms={F(Percentile(accepted, 99))} " +
                   $"ticket_p50_ms={F(Percentile(filed, 50))} ticket_p99_ms={F(Percentile(filed, 99))} " +
                   $"upload_mib={megabytes} upload_ms={F(large.Ms)} peak_ws_delta_mib={F(large.PeakDeltaMiB)} allocated_mib={F(large.AllocatedMiB)} " +
                   $"small_upload_mib={F(megabytes / 10.0)} small_peak_ws_delta_mib={F(small.PeakDeltaMiB)} small_allocated_mib={F(small.AllocatedMiB)}";
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>One spoken request: ms to the 202, and ms until its ticket is filed (the orchestration completed).</summary>
    static async Task<(double Accepted, double Filed)> RequestAsync(HttpClient http, DurableTaskClient client, Uri baton, byte[] wav)
    {
        var clock = Stopwatch.StartNew();
        using var upload = Upload(baton, new ByteArrayContent(wav));
        using var answer = await http.SendAsync(upload);
        if (answer.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"upload: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        var acceptedMs = clock.Elapsed.TotalMilliseconds;
        var receipt = (await answer.Content.ReadFromJsonAsync<VoiceReceipt>(DurableJson.Options))!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var done = await client.WaitForInstanceCompletionAsync(VoiceIds.InstanceIdFor(receipt.Id), getInputsAndOutputs: true, deadline.Token);
        var filedMs = clock.Elapsed.TotalMilliseconds;
        if (done.ReadOutputAs<VoiceOutcome>() is not { Step: VoiceSteps.Completed, TicketKey: not null } outcome)
            throw new InvalidOperationException($"the request did not file a ticket: {done.SerializedOutput}");
        return (acceptedMs, filedMs);
    }

    sealed record Peak(double Ms, double PeakDeltaMiB, double AllocatedMiB);

    /// <summary>Uploads <paramref name="bytes"/> of 48 kHz stereo WAV generated as it is sent, sampling the working set every
    /// 2 ms until the 202.</summary>
    static async Task<Peak> UploadPeakAsync(HttpClient http, Uri baton, long bytes)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                try
                {
                    await Task.Delay(2, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
        var clock = Stopwatch.StartNew();
        var content = new StreamContent(new GeneratedWav(bytes));
        content.Headers.ContentLength = bytes;
        using var upload = Upload(baton, content);
        using var answer = await http.SendAsync(upload);
        var ms = clock.Elapsed.TotalMilliseconds;
        await stop.CancelAsync();
        await sampler;
        if (answer.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"upload of {bytes} bytes: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return new Peak(ms, (peak - baseline) / 1048576.0, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0);
    }

    static HttpRequestMessage Upload(Uri baton, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baton, VoiceRoutes.Upload)) { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return request;
    }

    /// <summary>A 16-bit PCM WAV of a quiet two-tone hum.</summary>
    static byte[] Wav(int seconds, int sampleRate, int channels)
    {
        var samples = seconds * sampleRate;
        var wav = new byte[44 + samples * channels * 2];
        WriteHeader(wav, samples * channels * 2L, sampleRate, channels);
        for (var i = 0; i < samples; i++)
            for (var c = 0; c < channels; c++)
                BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + (i * channels + c) * 2), Sample(i, sampleRate));
        return wav;
    }

    static short Sample(long i, int sampleRate) =>
        (short)(2000 * Math.Sin(2 * Math.PI * 220 * i / sampleRate) + 1000 * Math.Sin(2 * Math.PI * 330 * i / sampleRate));

    static void WriteHeader(Span<byte> header, long dataBytes, int sampleRate, int channels)
    {
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(36 + dataBytes));
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)dataBytes);
    }

    /// <summary>A 48 kHz stereo WAV of <c>length</c> bytes, produced as it is read: the client never holds it.</summary>
    sealed class GeneratedWav(long length) : Stream
    {
        const int SampleRate = 48_000, Channels = 2;
        long position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            Span<byte> header = stackalloc byte[44];
            WriteHeader(header, length - 44, SampleRate, Channels);
            while (written < buffer.Length && position < length)
            {
                buffer[written++] = position < 44 ? header[(int)position] : SampleByte(position - 44);
                position++;
            }
            return written;
        }

        static byte SampleByte(long offset)
        {
            var frame = offset / (2 * Channels);
            var value = Sample(frame, SampleRate);
            return (offset & 1) == 0 ? (byte)(value & 0xFF) : (byte)((value >> 8) & 0xFF);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    const string Intent = """
        {"project": "SHOP", "issue_type": "Story", "priority": "normal", "summary": "Dark mode toggle on the settings page",
         "description": "A toggle switches the settings page to a dark theme, remembered per user.",
         "acceptance_criteria": ["The toggle switches the theme", "The choice is remembered"], "confidence": 0.95, "questions": []}
        """;
}

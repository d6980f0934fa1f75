using System.Text;
using System.Text.Json;

namespace Baton.Tests.Voice;

/// <summary>One server-sent event as a browser's EventSource would see it.</summary>
public sealed record VoiceWebEvent(string? Id, string Event, JsonElement Data);

/// <summary>Reads a <c>text/event-stream</c> as it arrives: events are blank-line separated; comment lines (<c>:</c>) are
/// heartbeats and skipped.</summary>
public sealed class VoiceWebEvents(Stream stream) : IDisposable
{
    readonly StreamReader reader = new(stream, Encoding.UTF8);

    /// <summary>The next event, or null when the server ended the stream.</summary>
    /// <exception cref="TimeoutException">Nothing complete within <paramref name="timeout"/>.</exception>
    public async Task<VoiceWebEvent?> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        string? id = null, name = null;
        var data = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is null && data.Length == 0) continue;
                    return new VoiceWebEvent(id, name ?? "message", JsonDocument.Parse(data.ToString()).RootElement.Clone());
                }
                if (line.StartsWith(':')) continue;
                if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line[6..]);
                else throw new InvalidDataException($"Not an event-stream line: {line}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No complete event arrived in time.");
        }
        Assert.True(name is null && data.Length == 0, "the stream ended inside an event");
        return null;
    }

    /// <summary>Every event until the server ends the stream.</summary>
    public async Task<List<VoiceWebEvent>> ToEndAsync()
    {
        var events = new List<VoiceWebEvent>();
        while (await NextAsync() is { } next) events.Add(next);
        return events;
    }

    /// <summary>Events up to and including the first of <paramref name="step"/>.</summary>
    public async Task<List<VoiceWebEvent>> UntilAsync(string step)
    {
        var events = new List<VoiceWebEvent>();
        while (true)
        {
            var next = await NextAsync() ?? throw new InvalidOperationException($"The stream ended before '{step}': {string.Join(", ", events.Select(e => e.Event))}");
            events.Add(next);
            if (next.Event == step) return events;
        }
    }

    public void Dispose() => reader.Dispose();
}

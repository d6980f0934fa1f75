using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Infrastructure;

/// <summary>One log entry as a test sees it: the rendered message plus every structured value.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, string Values);

/// <summary>A logger provider that keeps every entry, so tests can assert on event ids and on what is never logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> Entries => entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    /// <summary>Waits (at most <paramref name="timeout"/>, 10 s by default) for an entry matching <paramref name="match"/>.</summary>
    public async Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Entries.FirstOrDefault(match) is { } entry) return entry;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No matching log entry was written.");
            await Task.Delay(20);
        }
    }

    public void Dispose() { }

    sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception) + exception, values));
        }
    }
}

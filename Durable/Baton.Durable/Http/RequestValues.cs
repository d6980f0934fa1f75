using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Baton.Durable.Http;

using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

/// <summary>
/// Strict readers for route values, query parameters and headers. Anything malformed becomes a 400
/// <see cref="HttpProblem"/> naming the parameter, before any state is touched. Unknown parameters are ignored
/// (Durable Functions clients send <c>taskHub</c>, <c>connection</c> and <c>code</c>).
/// </summary>
static class RequestValues
{
    public const int MaxNameLength = 256;
    public const int MaxReasonLength = 4096;
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static string InstanceId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw HttpProblem.BadRequest("The instance id must not be empty.");
        if (value.Length > InstanceIds.MaxLength)
            throw HttpProblem.BadRequest($"The instance id must be at most {InstanceIds.MaxLength} characters.");
        if (value.Any(char.IsControl))
            throw HttpProblem.BadRequest("The instance id must not contain control characters.");
        return value;
    }

    /// <summary>An orchestrator or event name.</summary>
    public static string Name(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw HttpProblem.BadRequest($"The {what} must not be empty.");
        if (value.Length > MaxNameLength || value.Any(char.IsControl))
            throw HttpProblem.BadRequest($"The {what} must be at most {MaxNameLength} characters without control characters.");
        return value;
    }

    public static bool Bool(this IQueryCollection query, string name, bool fallback)
    {
        var text = Single(query, name);
        if (text is null) return fallback;
        return bool.TryParse(text, out var value)
            ? value
            : throw HttpProblem.BadRequest($"Query parameter '{name}' must be 'true' or 'false'.");
    }

    public static int Int(this IQueryCollection query, string name, int min, int max, int fallback)
    {
        var text = Single(query, name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw HttpProblem.BadRequest($"Query parameter '{name}' must be a whole number from {min} to {max}.");
    }

    /// <summary>A point in time (ISO 8601 recommended; no offset means UTC), as UTC.</summary>
    public static DateTime? Date(this IQueryCollection query, string name)
    {
        var text = Single(query, name);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : throw HttpProblem.BadRequest($"Query parameter '{name}' must be a date and time such as 2025-01-31T08:00:00Z.");
    }

    /// <summary>A duration in (possibly fractional) seconds, greater than zero and at most <paramref name="max"/>.</summary>
    public static TimeSpan? Seconds(this IQueryCollection query, string name, TimeSpan max)
    {
        var text = Single(query, name);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= max.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        throw HttpProblem.BadRequest($"Query parameter '{name}' must be a number of seconds greater than 0 and at most {max.TotalSeconds}.");
    }

    /// <summary>The runtime statuses an instance can have (the SDK's enum also lists two that Durable Task no longer uses).</summary>
    static readonly OrchestrationRuntimeStatus[] KnownStatuses =
    [
        OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended,
    ];

    /// <summary>A comma-separated list of runtime status names, e.g. <c>Running,Pending</c>.</summary>
    public static IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses(this IQueryCollection query, string name)
    {
        var text = Single(query, name);
        if (text is null) return null;
        var statuses = new HashSet<OrchestrationRuntimeStatus>();
        foreach (var part in text.Split(','))
        {
            // By name only: numbers ("7", "99"), which Enum.TryParse would take, are not part of the API.
            var known = Array.FindIndex(KnownStatuses, s => s.ToString().Equals(part.Trim(), StringComparison.OrdinalIgnoreCase));
            if (known < 0)
                throw HttpProblem.BadRequest(
                    $"Query parameter '{name}' must list runtime statuses separated by commas, from: {string.Join(", ", KnownStatuses)}.");
            statuses.Add(KnownStatuses[known]);
        }
        return statuses;
    }

    public static string? Text(this IQueryCollection query, string name, int maxLength)
    {
        var text = Single(query, name);
        if (text is not null && text.Length > maxLength)
            throw HttpProblem.BadRequest($"Query parameter '{name}' must be at most {maxLength} characters.");
        return text;
    }

    /// <summary>The <c>Idempotency-Key</c> header: a retried request with the same key has no further effect.</summary>
    public static string? IdempotencyKey(this HttpRequest request)
    {
        if (!request.Headers.TryGetValue(IdempotencyKeyHeader, out var values)) return null;
        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]) || values[0]!.Length > MaxNameLength || values[0]!.Any(char.IsControl))
            throw HttpProblem.BadRequest($"The '{IdempotencyKeyHeader}' header must be one value of 1 to {MaxNameLength} characters.");
        return values[0];
    }

    static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out StringValues values)) return null;
        if (values.Count != 1)
            throw HttpProblem.BadRequest($"Query parameter '{name}' must be given once.");
        return values[0];
    }
}

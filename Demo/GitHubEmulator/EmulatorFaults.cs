using System.Text.RegularExpressions;

namespace Baton.Demo.GitHubEmulator;

/// <summary>The failures GitHub answers with that Baton must tell apart.</summary>
public enum EmulatedFault
{
    /// <summary>403 with <c>x-ratelimit-remaining: 0</c> and a reset time.</summary>
    PrimaryRateLimit,
    /// <summary>403 "You have exceeded a secondary rate limit" with <c>retry-after</c>.</summary>
    SecondaryRateLimit,
    /// <summary>429 with <c>retry-after</c>.</summary>
    TooManyRequests,
    /// <summary>500.</summary>
    ServerError,
    /// <summary>502.</summary>
    BadGateway,
    /// <summary>401 "Bad credentials".</summary>
    Unauthorized,
}

/// <summary>
/// Failures waiting to be served: the next <c>times</c> requests whose method and path match get the fault instead of
/// an answer. A path pattern is a literal path where <c>*</c> stands for one segment and <c>**</c> for any rest,
/// e.g. <c>/repos/*/*/issues/*/labels</c>.
/// </summary>
public sealed class EmulatorFaults
{
    readonly List<Pending> pending = [];

    sealed class Pending(EmulatedFault fault, string method, Regex path, int times, TimeSpan wait)
    {
        public EmulatedFault Fault { get; } = fault;
        public string Method { get; } = method;
        public Regex Path { get; } = path;
        public int Remaining { get; set; } = times;
        public TimeSpan Wait { get; } = wait;
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for the next <paramref name="times"/> matching requests. <paramref name="method"/>
    /// may be <c>*</c>. <paramref name="wait"/> is the retry-after (or time to reset) announced; a minute by default.
    /// </summary>
    public void Enqueue(EmulatedFault fault, string method, string pathPattern, int times = 1, TimeSpan? wait = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        var regex = new Regex("^" + Regex.Escape(pathPattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]+", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
        lock (pending) pending.Add(new Pending(fault, method.ToUpperInvariant(), regex, times, wait ?? TimeSpan.FromMinutes(1)));
    }

    /// <summary>How many injected failures have not been served yet.</summary>
    public int Waiting
    {
        get { lock (pending) return pending.Sum(p => p.Remaining); }
    }

    public void Clear()
    {
        lock (pending) pending.Clear();
    }

    /// <summary>Takes the first fault matching the request, or null.</summary>
    internal (EmulatedFault Fault, TimeSpan Wait)? Take(string method, string path)
    {
        lock (pending)
        {
            var match = pending.FirstOrDefault(p => (p.Method == "*" || p.Method == method) && p.Path.IsMatch(path));
            if (match is null) return null;
            if (--match.Remaining == 0) pending.Remove(match);
            return (match.Fault, match.Wait);
        }
    }
}

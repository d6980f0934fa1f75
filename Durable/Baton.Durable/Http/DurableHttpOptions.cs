namespace Baton.Durable.Http;

/// <summary>Settings of the management HTTP API. The host fills <see cref="ApiKeys"/> from its own configuration.</summary>
public sealed class DurableHttpOptions
{
    /// <summary>Accepted API keys. Empty: only loopback callers are allowed.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// Orchestrators the start route accepts besides those the host's Durable Task SDK worker registers (its
    /// <c>DurableTaskRegistry</c>): ones a worker in another process runs. Names ignore case, as task names do.
    /// </summary>
    public ISet<string> Orchestrators { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <c>Retry-After</c> tells a client polling an unfinished instance.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a start request may wait for completion (<c>timeout</c> query parameter).</summary>
    public TimeSpan MaxWaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest <c>top</c> a list request may ask for.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Page size when a list request gives no <c>top</c>.</summary>
    public int DefaultPageSize { get; set; } = 100;
}

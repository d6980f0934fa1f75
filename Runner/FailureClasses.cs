namespace Baton.Runner;

/// <summary>The failure classes of ARCHITECTURE.md §2.6 that a runner can report in
/// <see cref="Protocol.AgentOutcome.FailureClass"/> (StaleWorker is the host's to decide).</summary>
public static class FailureClasses
{
    public const string RateLimited = nameof(RateLimited);
    public const string AuthFailed = nameof(AuthFailed);
    public const string Timeout = nameof(Timeout);
    public const string ResourceExhausted = nameof(ResourceExhausted);
    public const string Transient = nameof(Transient);
    public const string Permanent = nameof(Permanent);
}

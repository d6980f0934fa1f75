using Baton.Activities.Discord;
using Baton.Failures;
using Microsoft.DurableTask;
using RetryPolicy = Baton.Failures.RetryPolicy;

namespace Baton.Orchestrations;

/// <summary>The durable retry policies orchestrations pass at their call sites (minutes-to-hours outages; the HTTP layer
/// handles seconds-long blips). Failure classes refine them: AuthFailed and Permanent are never retried.</summary>
public static class RetryPolicies
{
    /// <summary>GitHub calls: back off from 5 s to 5 min, for up to an hour; rate limits wait for their reset.</summary>
    public static readonly TaskOptions GitHub = ClassifiedRetry.Options(
        new RetryPolicy(8, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5),
            retryTimeout: TimeSpan.FromHours(1)));

    /// <summary>Jira calls: like GitHub's, back off from 5 s to 5 min for up to an hour; a 429 waits for its Retry-After.</summary>
    public static readonly TaskOptions Jira = ClassifiedRetry.Options(
        new RetryPolicy(8, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5),
            retryTimeout: TimeSpan.FromHours(1)));

    /// <summary>LLM calls (a local model may be loading or busy): back off from 10 s to 2 min, four attempts, for up to
    /// half an hour; an invalid answer is not a failure (the orchestration feeds its errors back instead).</summary>
    public static readonly TaskOptions LlmCall = ClassifiedRetry.Options(
        new RetryPolicy(4, TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2),
            retryTimeout: TimeSpan.FromMinutes(30)));

    /// <summary>Transcription (a Whisper server may be loading its model; a local decode may run out of time): back off from
    /// 10 s to 2 min, four attempts, for up to half an hour. An undecodable recording is Permanent and not retried.</summary>
    public static readonly TaskOptions Transcription = ClassifiedRetry.Options(
        new RetryPolicy(4, TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(2),
            retryTimeout: TimeSpan.FromMinutes(30)));

    /// <summary>Work on Baton's own storage (starting an instance, cancelling jobs): a few quick retries.</summary>
    public static readonly TaskOptions Engine = ClassifiedRetry.Options(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2));

    /// <summary>Agent jobs, decided by <see cref="IssueOrchestration"/> on each failed job's outcome (each retry is a new
    /// job): a rate-limited, timed-out or crashed attempt runs again after 1 min, then 4, then 16; AuthFailed, Permanent
    /// and StaleWorker (already re-offered by the job itself) are final.</summary>
    public static readonly RetryPolicy Agent = new(4, TimeSpan.FromMinutes(1), backoffCoefficient: 4, maxRetryInterval: TimeSpan.FromMinutes(30),
        retryTimeout: TimeSpan.FromHours(6));

    /// <summary>Discord sends (<see cref="DiscordMessageOrchestration"/>): back off from <see cref="DiscordRetry.FirstRetryInterval"/>
    /// (doubling, at most <see cref="DiscordRetry.MaxRetryInterval"/>) until <see cref="DiscordRetry.GiveUpAfter"/>; a 429
    /// waits at least its <c>retry_after</c>. The attempt count is only a backstop: the time bound decides.</summary>
    public static TaskOptions Discord(DiscordRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        return ClassifiedRetry.Options(new RetryPolicy(100_000, retry.FirstRetryInterval, backoffCoefficient: 2,
            maxRetryInterval: retry.MaxRetryInterval, retryTimeout: retry.GiveUpAfter));
    }
}

using System.Collections.Concurrent;
using Baton.Failures;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using RetryPolicy = Baton.Failures.RetryPolicy;
using TaskFailedException = Microsoft.DurableTask.TaskFailedException;

namespace Baton.ProviderTests;

/// <summary>An exception that carries facts a retry handler needs (<see cref="QuotaProperties"/> exposes them).</summary>
sealed class QuotaException(int retryAfterSeconds) : Exception("over quota")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>The tests' own facts for <see cref="QuotaException"/>, Baton's failure classes for everything else.</summary>
sealed class QuotaProperties : IExceptionPropertiesProvider
{
    readonly FailureClassProperties classes = new();

    public IDictionary<string, object?>? GetExceptionProperties(Exception exception) => exception is QuotaException quota
        ? new Dictionary<string, object?> { ["Class"] = "RateLimited", ["RetryAfterSeconds"] = quota.RetryAfterSeconds }
        : classes.GetExceptionProperties(exception);
}

/// <summary>What the <c>Classified</c> activity should do: fail <see cref="Failures"/> times with
/// <see cref="Class"/> (and Retry-After), then succeed.</summary>
sealed record FlakyStep(string Key, FailureClass Class, int Failures, int RetryAfterMs = 0);

/// <summary>Orchestrators and activities written on the Durable Task SDK, run by the provider tests.</summary>
static class SdkSamples
{
    /// <summary>Attempts per key, for activities that fail a set number of times.</summary>
    public static readonly ConcurrentDictionary<string, int> Attempts = new(StringComparer.Ordinal);

    /// <summary>When each attempt of the <c>Classified</c> activity started, per key.</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<DateTime>> AttemptTimes = new(StringComparer.Ordinal);

    /// <summary>How long the <c>Slow</c> activity works: several leases of the provider tests.</summary>
    public static readonly TimeSpan SlowActivityTime = TimeSpan.FromSeconds(7);

    /// <summary>An activity no worker here runs: Baton's provider leaves it to an external claimer.</summary>
    public const string RemoteJob = "RemoteJob";

    public static void Register(DurableTaskRegistry r)
    {
        r.AddOrchestratorFunc<string, string>("CallRemoteJob", async (ctx, what) =>
            $"{what}: {await ctx.CallActivityAsync<string>(RemoteJob, what)}");
        r.AddActivityFunc<string, string>("SayHello", (_, name) => $"Hello, {name}!");
        r.AddActivityFunc<int, int>("Square", (_, n) => n * n);
        r.AddActivityFunc<string, string>("Echo", (_, s) => s);
        r.AddActivityFunc<string, string>("FailTwice", (_, key) =>
        {
            var attempt = Attempts.AddOrUpdate(key!, 1, (_, n) => n + 1);
            if (attempt <= 2) throw new InvalidOperationException($"attempt {attempt} fails");
            return $"succeeded on attempt {attempt}";
        });
        r.AddActivityFunc<string, string>("Slow", async (_, key) =>
        {
            Attempts.AddOrUpdate(key!, 1, (_, n) => n + 1);
            await Task.Delay(SlowActivityTime);
            return "slow and steady";
        });
        r.AddActivityFunc<int, string>("RateLimited", string (_, seconds) => throw new QuotaException(seconds));
        r.AddOrchestratorFunc<int, string>("CallRateLimited", async (ctx, seconds) =>
        {
            try
            {
                return await ctx.CallActivityAsync<string>("RateLimited", seconds);
            }
            catch (TaskFailedException e)
            {
                var properties = e.FailureDetails.Properties!;
                return $"{e.FailureDetails.ErrorType} retry after {properties["RetryAfterSeconds"]} s ({properties["Class"]})";
            }
        });
        r.AddActivityFunc<FlakyStep, string>("Classified", (_, step) =>
        {
            var times = AttemptTimes.GetOrAdd(step!.Key, _ => new ConcurrentQueue<DateTime>());
            times.Enqueue(DateTime.UtcNow);
            if (times.Count <= step.Failures)
                throw new ClassifiedFailureException(step.Class, $"attempt {times.Count} failed",
                    step.RetryAfterMs > 0 ? TimeSpan.FromMilliseconds(step.RetryAfterMs) : null);
            return $"succeeded on attempt {times.Count}";
        });
        r.AddOrchestratorFunc<FlakyStep, string>("CallClassified", async (ctx, step) =>
        {
            try
            {
                return await ctx.CallActivityAsync<string>("Classified", step,
                    ClassifiedRetry.Options(new RetryPolicy(4, TimeSpan.FromMilliseconds(100))));
            }
            catch (TaskFailedException e)
            {
                return $"gave up: {FailureFacts.ClassOf(e.FailureDetails)}";
            }
        });
        r.AddActivityFunc<string, string>("AlwaysFails", string (_, message) => throw new ArgumentException(message));

        r.AddOrchestratorFunc<string[], List<string>>("HelloSequence", async (ctx, names) =>
        {
            var greetings = new List<string>();
            foreach (var name in names!) greetings.Add(await ctx.CallActivityAsync<string>("SayHello", name));
            return greetings;
        });
        r.AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
        {
            var squares = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)));
            return squares.Sum();
        });
        r.AddOrchestratorFunc<string, string>("WaitForApproval", async (ctx, _) =>
        {
            ctx.SetCustomStatus("waiting");
            var answer = await ctx.WaitForExternalEvent<string>("approval");
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            return $"approved by {answer}";
        });
        r.AddOrchestratorFunc<string, string>("Parent", async (ctx, input) =>
        {
            var child = await ctx.CallSubOrchestratorAsync<string>("Child", input,
                new SubOrchestrationOptions { InstanceId = ctx.InstanceId + ":child" });
            try
            {
                await ctx.CallSubOrchestratorAsync<string>("FailingChild", input);
                return "the failing child did not fail";
            }
            catch (TaskFailedException e)
            {
                return $"{child}; child failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.InnerFailure?.ErrorMessage ?? e.FailureDetails.ErrorMessage}";
            }
        });
        r.AddOrchestratorFunc<string, string>("Child", (ctx, input) =>
            Task.FromResult($"child of {ctx.Parent?.InstanceId} got {input}"));
        r.AddOrchestratorFunc<string, string>("FailingChild", async (ctx, input) =>
            await ctx.CallActivityAsync<string>("AlwaysFails", $"bad input {input}"));
        r.AddOrchestratorFunc<int, int>("Counter", async (ctx, total) =>
        {
            var add = await ctx.WaitForExternalEvent<int>("add");
            if (add < 0) return total;
            ctx.ContinueAsNew(total + add, preserveUnprocessedEvents: true);
            return 0;
        });
        r.AddOrchestratorFunc<string, string>("RetryingActivity", async (ctx, key) =>
            await ctx.CallActivityAsync<string>("FailTwice", key,
                TaskOptions.FromRetryPolicy(new Microsoft.DurableTask.RetryPolicy(3, TimeSpan.FromMilliseconds(50)))));
        r.AddOrchestratorFunc<string, string>("CallSlow", async (ctx, key) => await ctx.CallActivityAsync<string>("Slow", key));
        r.AddOrchestratorFunc<string, string>("EchoLarge", async (ctx, payload) =>
            await ctx.CallActivityAsync<string>("Echo", payload));
        r.AddOrchestratorFunc<string, string>("WaitForever", async (ctx, _) =>
        {
            await ctx.CallSubOrchestratorAsync<string>("WaitForApproval", null,
                new SubOrchestrationOptions { InstanceId = ctx.InstanceId + ":child" });
            return "done";
        });
    }
}

using System.Diagnostics;
using Baton.Durable.Provider;
using Baton.Durable.Storage;

namespace Baton.Durable.Tests.Provider;

/// <summary>How the dispatcher's source of work honours "callers first" (<see cref="IDurableStore.CallersSaturateWriter"/>):
/// it waits while the store says so, then claims only a few items; as soon as the store lets go it claims a full batch.</summary>
public sealed class WorkItemSourceTests
{
    const int Batch = 128;
    static readonly TimeSpan MaxHoldBack = TimeSpan.FromMilliseconds(150);

    sealed class Claims
    {
        public List<int> Asked { get; } = [];

        public Task<IReadOnlyList<int>> ClaimAsync(int max, CancellationToken _)
        {
            Asked.Add(max);
            return Task.FromResult<IReadOnlyList<int>>([42]);
        }
    }

    // The store is only consulted when a claim finds nothing; here every claim finds an item.
    static WorkItemSource<int> NewSource(Claims claims, Func<bool> holdBack) =>
        new(WorkQueue.Orchestrations, store: null!, new AsyncPulse(), capacity: 256, Batch, TimeSpan.FromMilliseconds(10),
            TimeSpan.FromSeconds(1), claims.ClaimAsync, TimeProvider.System, holdBack, MaxHoldBack);

    [Fact]
    public async Task WithoutCallersToMakeRoomFor_AFullBatchIsClaimedAtOnce()
    {
        var claims = new Claims();
        var asked = 0;

        Assert.Equal(42, await NewSource(claims, () => { asked++; return false; }).NextAsync(TimeSpan.FromSeconds(5), default));

        Assert.Equal([Batch], claims.Asked);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task WhileCallersSaturateTheWriter_ItWaitsTheLongestHoldBackAndThenClaimsAFew()
    {
        var claims = new Claims();
        var clock = Stopwatch.StartNew();

        Assert.Equal(42, await NewSource(claims, () => true).NextAsync(TimeSpan.FromSeconds(5), default));

        Assert.True(clock.Elapsed >= MaxHoldBack, $"claimed after {clock.Elapsed.TotalMilliseconds} ms");
        var asked = Assert.Single(claims.Asked);
        Assert.InRange(asked, 1, 8);
    }

    [Fact]
    public async Task WhenTheCallersLetGo_AFullBatchIsClaimedWithoutWaitingTheRest()
    {
        var claims = new Claims();
        var checks = 0;

        // Saturated for the first three looks, then the burst is over.
        Assert.Equal(42, await NewSource(claims, () => ++checks <= 3).NextAsync(TimeSpan.FromSeconds(5), default));

        Assert.Equal([Batch], claims.Asked);
        Assert.Equal(4, checks);
    }
}

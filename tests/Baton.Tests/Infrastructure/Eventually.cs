namespace Baton.Tests.Infrastructure;

/// <summary>Waits for a condition, not for time: reads until the state holds, and fails the test with a
/// <see cref="TimeoutException"/> saying what never happened (and the last state seen) when it has not held within the bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    /// <summary>How often the state is read again.</summary>
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    public static Task HoldsAsync(Func<bool> condition, TimeSpan? within = null, string? what = null) =>
        HoldsAsync(() => Task.FromResult(condition()), within, what);

    public static Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? what = null) =>
        ReachesAsync(condition, holds => holds, _ => what ?? "the awaited condition never held", within);

    /// <summary>Reads with <paramref name="read"/> until <paramref name="condition"/> holds for what it read, and returns that;
    /// past the bound, fails with <paramref name="describe"/> of the last reading.</summary>
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> read, Func<T, bool> condition, Func<T, string> describe, TimeSpan? within = null)
    {
        var bound = within ?? DefaultBound;
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{describe(value)} (waited {bound.TotalSeconds:0} s)");
            await Task.Delay(Poll);
        }
    }
}

namespace Baton.Tests.Infrastructure;

/// <summary>Waits for a condition, not for time: polls it until it holds, and fails the test (an
/// <see cref="OperationCanceledException"/>) when it has not held within the bound.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    public static Task HoldsAsync(Func<bool> condition, TimeSpan? within = null) => HoldsAsync(() => Task.FromResult(condition()), within);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? DefaultBound);
        while (!await condition()) await Task.Delay(50, timeout.Token);
    }
}

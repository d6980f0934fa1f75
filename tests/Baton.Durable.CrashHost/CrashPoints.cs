using System.Diagnostics;

namespace Baton.Durable.CrashHost;

/// <summary>
/// Kills this process with SIGKILL (no clean-up, no flush: the same as `kill -9`) the K-th time a named
/// point is reached. Configured by <c>--crash-at point:K</c>.
/// </summary>
static class CrashPoints
{
    static string? armedPoint;
    static int remaining;

    public static void Arm(string? spec)
    {
        if (spec is null) return;
        var parts = spec.Split(':');
        armedPoint = parts[0];
        remaining = int.Parse(parts[1]);
    }

    public static void Hit(string point)
    {
        if (point != armedPoint) return;
        if (Interlocked.Decrement(ref remaining) != 0) return;
        Console.Out.Flush();
        Console.WriteLine($"CRASH {point}");
        Process.GetCurrentProcess().Kill();
        // Never returns: the kill is on its way. Deliberately impure, and reached from orchestrator code only in this host.
#pragma warning disable DURABLE0003
        Thread.Sleep(Timeout.Infinite);
#pragma warning restore DURABLE0003
    }
}

using Baton.Orchestrations.Conductor;

namespace Baton.Tests.Conductor;

public sealed class ConductorRulesTests
{
    static readonly DateTime Noon = new(2026, 11, 21, 12, 0, 30, DateTimeKind.Utc);

    [Theory]
    [InlineData("0 * * * * *", "2026-11-21T12:01:00Z")]
    [InlineData("*/10 * * * * *", "2026-11-21T12:00:40Z")]
    [InlineData("0 0 */2 * * *", "2026-11-21T14:00:00Z")]
    [InlineData("not a schedule", "2026-11-21T12:01:00Z")]   // falls back to every minute
    public void The_next_sweep_follows_the_six_field_cron(string schedule, string expected) =>
        Assert.Equal(DateTime.Parse(expected).ToUniversalTime(), ConductorRules.NextSweep(schedule, Noon));
}

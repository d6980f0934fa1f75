using System.Globalization;

namespace Baton.Bench;

/// <summary>How every scenario summarises its samples and prints numbers on its machine-readable last line.</summary>
static class BenchStats
{
    /// <summary>The nearest-rank percentile (sorts <paramref name="values"/> in place); 0 for no samples.</summary>
    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        var rank = (int)Math.Ceiling(p / 100.0 * values.Count) - 1;
        return values[Math.Clamp(rank, 0, values.Count - 1)];
    }

    /// <summary>One decimal, invariant culture: the key=value format the results are recorded in.</summary>
    public static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

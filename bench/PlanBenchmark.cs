using System.Diagnostics;
using System.Globalization;
using Baton.Orchestrations.Conductor;
using Microsoft.Extensions.Configuration;

namespace Baton.Bench;

/// <summary>
/// The conductor's planner on a large board: <c>--issues N</c> issues (default 10,000) spread over five repositories
/// with <c>--edges M</c> distinct blocked-by relationships (default 50,000), built from a fixed seed so every run
/// plans the same board. Prints the median of several timed plans after a warm-up. Target: &lt; 50 ms.
/// </summary>
static class PlanBenchmark
{
    private const int WarmUpRuns = 5;
    private const int TimedRuns = 21;
    private static readonly string[] Repositories = ["acme/api", "acme/web", "acme/mobile", "acme/infra", "partner/sdk"];

    public static string Run(IConfiguration options)
    {
        var issueCount = int.Parse(options["issues"] ?? "10000", CultureInfo.InvariantCulture);
        var edgeCount = int.Parse(options["edges"] ?? "50000", CultureInfo.InvariantCulture);
        var board = RandomBoard(issueCount, edgeCount, new Random(20260301));

        for (var i = 0; i < WarmUpRuns; i++) BoardPlanner.Plan(board);
        var timings = new double[TimedRuns];
        Plan plan = null!;
        for (var i = 0; i < TimedRuns; i++)
        {
            var clock = Stopwatch.StartNew();
            plan = BoardPlanner.Plan(board);
            timings[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(timings);

        Console.WriteLine($"# plan on {Environment.ProcessorCount} cores: {plan.Start.Count} started, {plan.Waiting.Count} waiting, " +
                          $"{plan.LabelChanges.Count} label changes, {plan.Cycles.Count} cycles; " +
                          $"min {timings[0].ToString("0.00", CultureInfo.InvariantCulture)} ms, " +
                          $"max {timings[^1].ToString("0.00", CultureInfo.InvariantCulture)} ms");
        var median = timings[TimedRuns / 2];
        return $"plan issues={issueCount} edges={edgeCount} ms={median.ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// A board shaped like real work: most blockers are older issues (so the graph is mostly acyclic), a few point
    /// forward and close loops, a fifth of the issues are closed, and some are already running.
    /// </summary>
    private static BoardSnapshot RandomBoard(int issueCount, int edgeCount, Random random)
    {
        if (edgeCount > (long)issueCount * (issueCount - 1) / 2)
            throw new ArgumentException($"{issueCount} issues cannot have {edgeCount} distinct blockers.");

        var refs = new IssueRef[issueCount];
        for (var i = 0; i < issueCount; i++)
        {
            var repository = Repositories[i % Repositories.Length].Split('/');
            refs[i] = new IssueRef(repository[0], repository[1], i / Repositories.Length + 1);
        }

        var blockers = new List<IssueRef>[issueCount];
        for (var i = 0; i < issueCount; i++) blockers[i] = [];
        var seen = new HashSet<(int, int)>();
        while (seen.Count < edgeCount)
        {
            var issue = random.Next(1, issueCount);
            var blocker = random.NextDouble() < 0.995 ? random.Next(issue) : random.Next(issueCount);
            if (blocker != issue && seen.Add((issue, blocker))) blockers[issue].Add(refs[blocker]);
        }

        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var issues = new IssueSnapshot[issueCount];
        var running = new List<IssueRef>();
        for (var i = 0; i < issueCount; i++)
        {
            var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (random.NextDouble() < 0.9) labels.Add(BoardLabels.Approved);
            if (random.NextDouble() < 0.05) labels.Add(BoardLabels.Critical);
            if (random.NextDouble() < 0.10) labels.Add(BoardLabels.HighPriority);
            if (random.NextDouble() < 0.30) labels.Add(BoardLabels.Blocked);
            if (running.Count < 30 && random.NextDouble() < 0.01)
            {
                labels.Add(BoardLabels.InProgress);
                running.Add(refs[i]);
            }
            var state = random.NextDouble() < 0.2 ? IssueState.Closed : IssueState.Open;
            issues[i] = new IssueSnapshot(refs[i], state, labels, epoch.AddMinutes(random.Next(500_000)), null, blockers[i]);
        }

        var perRepository = Repositories.ToDictionary(r => r, _ => 20);
        return new BoardSnapshot(issues, new Capacity(50, perRepository), running);
    }
}

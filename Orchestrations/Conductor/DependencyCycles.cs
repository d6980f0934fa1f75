namespace Baton.Orchestrations.Conductor;

/// <summary>Finds the dependency cycles of a <see cref="BlockerGraph"/>.</summary>
/// <remarks>
/// Tarjan's strongly connected components, written with an explicit stack instead of recursion: a chain of
/// thousands of blockers would otherwise overflow the call stack. Linear in issues plus edges.
/// </remarks>
internal static class DependencyCycles
{
    /// <summary>Returns each cycle once (issues sorted, cycles ordered by their first issue) and marks its members.</summary>
    public static List<DependencyCycle> Find(BlockerGraph graph, out bool[] inCycle)
    {
        var count = graph.Count;
        var edgeStart = graph.EdgeStart;
        var edgeTarget = graph.EdgeTarget;

        const int Unvisited = -1;
        var order = new int[count];            // discovery order of each issue
        var lowLink = new int[count];          // lowest discovery order reachable while on the component stack
        var onStack = new bool[count];
        var componentStack = new int[count];
        var componentTop = 0;
        var frameIssue = new int[count];       // the simulated call stack: which issue ...
        var frameEdge = new int[count];        // ... and which of its edges comes next
        Array.Fill(order, Unvisited);
        var nextOrder = 0;

        var cycles = new List<DependencyCycle>();
        var members = new bool[count];
        for (var root = 0; root < count; root++)
        {
            if (order[root] != Unvisited) continue;
            var frameTop = 0;
            Visit(root);

            while (frameTop > 0)
            {
                var issue = frameIssue[frameTop - 1];
                var edge = frameEdge[frameTop - 1];
                if (edge < edgeStart[issue + 1])
                {
                    frameEdge[frameTop - 1]++;
                    var blocker = edgeTarget[edge];
                    if (order[blocker] == Unvisited) Visit(blocker);
                    else if (onStack[blocker]) lowLink[issue] = Math.Min(lowLink[issue], order[blocker]);
                    continue;
                }

                frameTop--;
                if (frameTop > 0)
                {
                    var caller = frameIssue[frameTop - 1];
                    lowLink[caller] = Math.Min(lowLink[caller], lowLink[issue]);
                }
                if (lowLink[issue] == order[issue]) PopComponent(issue);
            }

            void Visit(int issue)
            {
                order[issue] = lowLink[issue] = nextOrder++;
                componentStack[componentTop++] = issue;
                onStack[issue] = true;
                frameIssue[frameTop] = issue;
                frameEdge[frameTop] = edgeStart[issue];
                frameTop++;
            }
        }

        cycles.Sort((a, b) => a.Issues[0].CompareTo(b.Issues[0]));
        inCycle = members;
        return cycles;

        void PopComponent(int head)
        {
            var start = componentTop;
            do
            {
                start--;
                onStack[componentStack[start]] = false;
            } while (componentStack[start] != head);

            var size = componentTop - start;
            componentTop = start;
            if (size == 1 && !BlocksItself(head)) return;

            var cycle = new IssueRef[size];
            for (var k = 0; k < size; k++)
            {
                var member = componentStack[start + k];
                members[member] = true;
                cycle[k] = graph.Issues[member].Issue;
            }
            Array.Sort(cycle);
            cycles.Add(new DependencyCycle(cycle));
        }

        bool BlocksItself(int issue)
        {
            for (var e = edgeStart[issue]; e < edgeStart[issue + 1]; e++)
                if (edgeTarget[e] == issue) return true;
            return false;
        }
    }
}

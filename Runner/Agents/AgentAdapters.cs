namespace Baton.Runner.Agents;

/// <summary>The adapters this runner offers: one per name configured under <c>Runner:Agents</c>.</summary>
public sealed class AgentAdapters
{
    private static readonly Dictionary<string, Func<AgentCliOptions, IAgentAdapter>> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [ClaudeCodeAdapter.AdapterName] = o => new ClaudeCodeAdapter(o),
        [OpenCodeAdapter.AdapterName] = o => new OpenCodeAdapter(o),
        [CodexAdapter.AdapterName] = o => new CodexAdapter(o),
        [AiderAdapter.AdapterName] = o => new AiderAdapter(o),
        [CommandAdapter.AdapterName] = o => new CommandAdapter(o),
    };

    private readonly Dictionary<string, (IAgentAdapter Adapter, AgentCliOptions Options)> _adapters;

    /// <exception cref="InvalidOperationException">For a configured name no adapter has.</exception>
    public AgentAdapters(IReadOnlyDictionary<string, AgentCliOptions> configured)
    {
        _adapters = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, options) in configured)
        {
            if (!Known.TryGetValue(name, out var create))
                throw new InvalidOperationException(
                    $"Runner:Agents:{name} names no agent adapter; known: {string.Join(", ", Known.Keys)}.");
            _adapters[name] = (create(options), options);
        }
    }

    /// <summary>The names to register with.</summary>
    public IReadOnlyList<string> Names => [.. _adapters.Values.Select(a => a.Adapter.Name)];

    public bool TryGet(string name, out IAgentAdapter adapter, out AgentCliOptions options)
    {
        var found = _adapters.TryGetValue(name, out var entry);
        (adapter, options) = found ? entry : (null!, null!);
        return found;
    }
}

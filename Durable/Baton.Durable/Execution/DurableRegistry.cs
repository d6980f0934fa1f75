using Microsoft.Extensions.DependencyInjection;

namespace Baton.Durable;

/// <summary>
/// Orchestrators and activities by name. Names come from types (<c>typeof(T).Name</c>), so callers use
/// <c>nameof(MyActivity)</c> and no name is ever typed as a string twice. Lookups ignore case.
/// </summary>
public sealed class DurableRegistry
{
    readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> orchestrators = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> activities = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> remoteActivities = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> OrchestratorNames => orchestrators.Keys;
    public IReadOnlyCollection<string> ActivityNames => activities.Keys;

    /// <summary>Activities that orchestrations call but that an external claimer runs (see <see cref="AddRemoteActivity"/>).</summary>
    public IReadOnlyCollection<string> RemoteActivityNames => remoteActivities;

    /// <summary>Orchestrators get no services: everything they need arrives as input or from activities.</summary>
    public DurableRegistry AddOrchestrator<T>() where T : ITaskOrchestrator, new() =>
        AddOrchestrator(typeof(T).Name, _ => new T());

    public DurableRegistry AddOrchestrator(string name, Func<IServiceProvider, ITaskOrchestrator> factory)
    {
        if (!orchestrators.TryAdd(name, factory))
            throw new InvalidOperationException($"An orchestrator named '{name}' is already registered.");
        return this;
    }

    public DurableRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
        AddOrchestrator(name, _ => new FuncOrchestrator<TInput, TOutput>(run));

    /// <summary>Activities are created per call through DI, so they can take typed clients and loggers.</summary>
    public DurableRegistry AddActivity<T>() where T : class, ITaskActivity =>
        AddActivity(typeof(T).Name, sp => ActivatorUtilities.CreateInstance<T>(sp));

    public DurableRegistry AddActivity(string name, Func<IServiceProvider, ITaskActivity> factory)
    {
        if (remoteActivities.Contains(name) || !activities.TryAdd(name, factory))
            throw new InvalidOperationException($"An activity named '{name}' is already registered.");
        return this;
    }

    /// <summary>
    /// Declares an activity that orchestrations call with <c>CallActivityAsync</c> as usual but that this process's
    /// worker never runs: its rows stay in the store's activity queue until an external claimer takes them with
    /// <see cref="Storage.ActivityNameFilter.Only"/>, renews their lease while it works and completes them (at least
    /// once, fenced by the lease token, like any activity). The local worker claims with
    /// <see cref="Storage.ActivityNameFilter.Except"/> these names, so it neither runs them nor fails them as unknown;
    /// an activity registered nowhere still fails with "ActivityNotRegistered".
    /// </summary>
    /// <remarks>The store matches names exactly: call the activity with the spelling registered here.</remarks>
    public DurableRegistry AddRemoteActivity(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (activities.ContainsKey(name) || !remoteActivities.Add(name))
            throw new InvalidOperationException($"An activity named '{name}' is already registered.");
        return this;
    }

    public DurableRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        AddActivity(name, _ => new FuncActivity<TInput, TOutput>(run));

    public bool HasOrchestrator(string name) => orchestrators.ContainsKey(name);

    public bool TryCreateOrchestrator(string name, IServiceProvider services, out ITaskOrchestrator orchestrator)
    {
        orchestrator = null!;
        if (!orchestrators.TryGetValue(name, out var factory)) return false;
        orchestrator = factory(services);
        return true;
    }

    public bool TryCreateActivity(string name, IServiceProvider services, out ITaskActivity activity)
    {
        activity = null!;
        if (!activities.TryGetValue(name, out var factory)) return false;
        activity = factory(services);
        return true;
    }

    sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run)
        : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run)
        : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}

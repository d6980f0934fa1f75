using System.Runtime.CompilerServices;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;
using Microsoft.DurableTask;
using Sdk = Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using IExceptionPropertiesProvider = Microsoft.DurableTask.Worker.IExceptionPropertiesProvider;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Provider;

/// <summary>
/// The Durable Task SDK's worker, run in-process: DTFx's <see cref="TaskHubWorker"/> dispatches the orchestrators and
/// activities registered with <c>AddDurableTaskWorker(...).AddTasks(...)</c> over an <see cref="IOrchestrationService"/>
/// (Baton's SQLite/PostgreSQL provider, or DTFx's Azure Storage one), turning each into DTFx's types through
/// <see cref="DurableTaskShimFactory"/>. Replay is DTFx's own; nothing here runs user code except through the shims.
/// </summary>
public sealed class BatonDurableTaskWorker : DurableTaskWorker
{
    readonly IOrchestrationService service;
    readonly IServiceProvider services;
    readonly ILoggerFactory loggerFactory;
    readonly DurableTaskShimFactory shims;
    TaskHubWorker? worker;

    public BatonDurableTaskWorker(string name, IDurableTaskFactory factory, IOrchestrationService service, IServiceProvider services,
        ILoggerFactory loggerFactory, IOptionsMonitor<DurableTaskWorkerOptions> options)
        : base(name, factory)
    {
        this.service = service;
        this.services = services;
        this.loggerFactory = loggerFactory;
        shims = new DurableTaskShimFactory(options.Get(name), loggerFactory);
    }

    /// <summary>Completes once DTFx's dispatchers run.</summary>
    public Task Started => started.Task;
    readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            worker = new TaskHubWorker(service, new Orchestrations(this), new Activities(this), loggerFactory)
            {
                // The SDK reads failures as FailureDetails (type, message, inner failure), not serialized exceptions.
                ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
            };
            if (services.GetService<IExceptionPropertiesProvider>() is { } properties) AttachExceptionProperties(worker, properties);
            // The SDK's orchestration context reports its parent; DTFx hands the object manager only a name, so the
            // parent is read from the runtime state just before the orchestrator runs.
            worker.AddOrchestrationDispatcherMiddleware((context, next) =>
            {
                if (context.GetProperty<TaskOrchestration>() is ParentAwareOrchestration orchestration &&
                    context.GetProperty<OrchestrationRuntimeState>()?.ParentInstance is { } parent)
                {
                    orchestration.Parent = new Sdk.ParentOrchestrationInstance(parent.Name, parent.OrchestrationInstance.InstanceId);
                }
                return next();
            });
            await worker.StartAsync();
            started.TrySetResult();
        }
        catch (Exception e)
        {
            started.TrySetException(e);
            throw;
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The exception the activity running in this async flow threw, for <see cref="AttachExceptionProperties"/>.</summary>
    static readonly AsyncLocal<StrongBox<Exception?>?> activityException = new();

    /// <summary>
    /// Facts an app attaches to its exceptions (Baton: the failure class and Retry-After) travel with an activity's
    /// failure to the orchestration's retry handler, as on the SDK's gRPC worker. DTFx builds an activity's failure
    /// details without them when the activity throws a plain exception (the SDK's shim does), so the failed result is
    /// rebuilt from the exception the activity threw.
    /// </summary>
    static void AttachExceptionProperties(TaskHubWorker worker, IExceptionPropertiesProvider properties) =>
        worker.AddActivityDispatcherMiddleware(async (context, next) =>
        {
            var thrown = new StrongBox<Exception?>();
            activityException.Value = thrown;
            await next();
            if (thrown.Value is { } exception &&
                context.GetProperty<ActivityExecutionResult>() is { ResponseEvent: TaskFailedEvent failed } &&
                properties.GetExceptionProperties(exception) is { Count: > 0 } facts)
            {
                context.SetProperty(new ActivityExecutionResult
                {
                    ResponseEvent = new TaskFailedEvent(failed.EventId, failed.TaskScheduledId, failed.Reason, failed.Details,
                        new FailureDetails(exception, facts)),
                });
            }
        });

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Lets running work items finish, then the provider releases this worker's leases.
        if (worker is not null) await worker.StopAsync(isForced: false);
    }

    public override void Dispose()
    {
        worker?.Dispose();
        base.Dispose();
    }

    /// <summary>Resolves orchestrators by name from the SDK's registry, one new instance per work item.</summary>
    sealed class Orchestrations(BatonDurableTaskWorker owner) : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) =>
            throw new NotSupportedException("Register orchestrators with AddDurableTaskWorker(...).AddTasks(...).");

        public TaskOrchestration? GetObject(string name, string? version) =>
            owner.Factory.TryCreateOrchestrator(new TaskName(name), owner.services, out var orchestrator)
                ? new ParentAwareOrchestration(owner.shims, new TaskName(name), orchestrator)
                : null;
    }

    /// <summary>Resolves activities by name; each attempt gets its own DI scope, disposed when it ends.</summary>
    sealed class Activities(BatonDurableTaskWorker owner) : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) =>
            throw new NotSupportedException("Register activities with AddDurableTaskWorker(...).AddTasks(...).");

        public TaskActivity GetObject(string name, string? version) => new ScopedActivity(owner, new TaskName(name));
    }

    sealed class ScopedActivity(BatonDurableTaskWorker owner, TaskName name) : TaskActivity
    {
        public override string Run(TaskContext context, string input) =>
            throw new NotSupportedException("Activities run asynchronously.");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            await using var scope = owner.services.CreateAsyncScope();
            if (!owner.Factory.TryCreateActivity(name, scope.ServiceProvider, out var activity))
            {
                // Fails the call (the orchestration sees why) rather than abandoning it to be retried forever.
                throw new InvalidOperationException($"No activity named '{name.Name}' is registered with this worker.");
            }
            try
            {
                return await owner.shims.CreateActivity(name, activity).RunAsync(context, input);
            }
            catch (Exception e)
            {
                if (activityException.Value is { } thrown) thrown.Value = e;
                throw;
            }
        }
    }

    /// <summary>Builds the SDK shim on first use, once the dispatcher middleware has said who the parent is.</summary>
    sealed class ParentAwareOrchestration(DurableTaskShimFactory shims, TaskName name, Sdk.ITaskOrchestrator orchestrator) : TaskOrchestration
    {
        TaskOrchestration? shim;

        public Sdk.ParentOrchestrationInstance? Parent { get; set; }

        TaskOrchestration Shim => shim ??= shims.CreateOrchestration(name, orchestrator, Parent);

        public override Task<string> Execute(OrchestrationContext context, string input) => Shim.Execute(context, input);

        public override string GetStatus() => Shim.GetStatus();

        public override void RaiseEvent(OrchestrationContext context, string name, string input) => Shim.RaiseEvent(context, name, input);
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Baton.Durable.Storage;

namespace Baton.Durable.Tests.Engine;

/// <summary>Counts the calls made to a store, by method name, and passes them on. A <see cref="DispatchProxy"/> so
/// that the decorator does not have to repeat the whole <see cref="IDurableStore"/> interface.</summary>
public class CountingStore : DispatchProxy
{
    readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    IDurableStore inner = null!;

    public static CountingStore Wrap(IDurableStore inner)
    {
        var proxy = Create<IDurableStore, CountingStore>();
        var counting = (CountingStore)(object)proxy;
        counting.inner = inner;
        return counting;
    }

    public IDurableStore Store => (IDurableStore)(object)this;

    public int Calls(string method) => calls.GetValueOrDefault(method);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        calls.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

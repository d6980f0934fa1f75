using Baton.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Hosting;

/// <summary>Creates the store named by <see cref="DurableOptions.Provider"/>.</summary>
public static class DurableStoreFactory
{
    public const string DefaultSqlitePath = ".baton/baton.db";

    public static IDurableStore Create(DurableOptions options, ILoggerFactory loggerFactory) =>
        throw new NotSupportedException($"Storage provider '{options.Provider}' is not available yet.");
}

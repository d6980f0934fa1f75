using Microsoft.AspNetCore.Builder;

namespace Baton.Hosting;

/// <summary>How to build one host: the command-line arguments (after the verb) and, for tests, where to look
/// for configuration files and a hook to adjust the composition.</summary>
public sealed record HostSettings(string[] Args)
{
    /// <summary>Where <c>host.json</c>, <c>local.settings.json</c> and the default <c>.baton/</c> data folder live.
    /// Default: the current directory.</summary>
    public string? ContentRoot { get; init; }

    /// <summary>Runs after the standard composition, before the app is built.</summary>
    public Action<WebApplicationBuilder>? Customize { get; init; }
}

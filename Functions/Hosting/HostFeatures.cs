using Microsoft.Extensions.DependencyInjection;

namespace Baton.Hosting;

/// <summary>A feature's state as decided at start-up from configuration.</summary>
/// <param name="Detail">Why it is off, or how it is set up. Never contains a secret.</param>
public sealed record FeatureState(string Name, bool Enabled, string Detail);

/// <summary>
/// What the host turned on and off at composition. A feature whose required key is missing is disabled, not
/// fatal: start-up logs one line per feature and <c>/readyz</c> lists them all.
/// </summary>
public sealed class HostFeatures
{
    readonly List<FeatureState> features = [];
    IReadOnlyList<string> warnings = [];

    public IReadOnlyList<FeatureState> All => features;

    /// <summary>Set-ups that work but are riskier than they look, in general terms (no address, path or count): shown
    /// on <c>/readyz</c> to every caller.</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>Adds a warning; may be called once the host runs (it is read by <c>/readyz</c> concurrently).</summary>
    public void Warn(string warning) => warnings = [.. warnings, warning];

    public void Enable(string name, string detail) => features.Add(new FeatureState(name, true, detail));

    public void Disable(string name, string reason) => features.Add(new FeatureState(name, false, reason));

    /// <summary>The one instance of this host, registered with the services on first use.</summary>
    public static HostFeatures In(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(HostFeatures))?.ImplementationInstance is HostFeatures existing)
            return existing;
        var features = new HostFeatures();
        services.AddSingleton(features);
        return features;
    }
}

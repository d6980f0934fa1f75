using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Baton.Demo;

/// <summary>How the emulators (GitHub, Discord, Jira, Ollama) listen: a slim Kestrel on 127.0.0.1, without logging.</summary>
static class EmulatorHost
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its middleware and routes, starts it on
    /// <paramref name="port"/> (0 picks a free one) and returns it with its address (<c>http://127.0.0.1:PORT</c>, no
    /// trailing slash).</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(int port, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }
}

using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Dashboard;

/// <summary>
/// Signs a request in as the login in <see cref="DashboardOptions.TrustedHeader"/>, but only when the connection comes
/// from one of <see cref="DashboardOptions.TrustedProxies"/>: anyone else could set the header themselves. A request
/// without the header, or from elsewhere, is simply not signed in this way (it may still carry a session cookie).
/// </summary>
sealed class ForwardAuthHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    IOptionsMonitor<DashboardOptions> dashboard,
    ILoggerFactory loggers,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "DashboardForwardAuth";

    /// <summary>Logins are GitHub logins or e-mail addresses; anything longer is refused rather than trusted.</summary>
    const int MaxLoginLength = 254;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = dashboard.CurrentValue;
        if (!settings.UsesTrustedHeader) return Task.FromResult(AuthenticateResult.NoResult());
        if (!IsTrustedProxy(Context.Connection.RemoteIpAddress, settings.TrustedProxies))
            return Task.FromResult(AuthenticateResult.NoResult());
        var login = Request.Headers[settings.TrustedHeader!].ToString().Trim();
        if (login.Length is 0 or > MaxLoginLength || login.Any(char.IsControl))
            return Task.FromResult(AuthenticateResult.NoResult());

        var identity = new ClaimsIdentity([new Claim(DashboardAccess.LoginClaim, login), new Claim(ClaimTypes.Name, login)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        DashboardSetup.RefuseAsync(Context, StatusCodes.Status401Unauthorized);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DashboardSetup.RefuseAsync(Context, StatusCodes.Status403Forbidden);

    /// <summary>True when <paramref name="remote"/> is one of <paramref name="proxies"/> (addresses or CIDR networks).</summary>
    internal static bool IsTrustedProxy(IPAddress? remote, IEnumerable<string> proxies)
    {
        if (remote is null) return false;
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        foreach (var proxy in proxies)
        {
            var text = proxy.Trim();
            if (IPAddress.TryParse(text, out var address) && (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).Equals(remote))
                return true;
            if (text.Contains('/') && IPNetwork.TryParse(text, out var network) && network.Contains(remote))
                return true;
        }
        return false;
    }
}

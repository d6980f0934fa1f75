using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Baton.Activities.GitHub;

/// <summary>
/// The credentials behind every GitHub call: a personal access token, or a GitHub App's RS256 JWT and the installation
/// tokens minted with it. One per process, so tokens are shared by every <see cref="GitHubClient"/>; minting is
/// serialized so concurrent callers wait for one token instead of each minting their own.
/// </summary>
public sealed class GitHubCredentials(IOptions<GitHubOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>GitHub rejects an App JWT that lives longer than 10 minutes; a minute less absorbs clock drift.</summary>
    static readonly TimeSpan JwtLifetime = TimeSpan.FromMinutes(9);

    /// <summary>GitHub's documented back-dating of <c>iat</c>, for clocks that run ahead of GitHub's.</summary>
    static readonly TimeSpan JwtBackdate = TimeSpan.FromSeconds(60);

    readonly GitHubOptions settings = options.Value;
    readonly SemaphoreSlim mintLock = new(1, 1);
    readonly ConcurrentDictionary<long, InstallationToken> tokens = new();
    readonly ConcurrentDictionary<string, long> installations = new(StringComparer.OrdinalIgnoreCase);
    readonly Lazy<RSA> appKey = new(() => LoadKey(options.Value.PrivateKey!));
    int minted;

    /// <summary>Installation tokens minted since start (for tests and benchmarks).</summary>
    public int TokensMinted => Volatile.Read(ref minted);

    internal GitHubOptions Settings => settings;

    /// <summary>A fresh App JWT: <c>iss</c> = App id, <c>iat</c> = now − 60 s, <c>exp</c> = now + 9 min, signed RS256.</summary>
    internal string CreateAppJwt()
    {
        var now = clock.GetUtcNow();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iat = (now - JwtBackdate).ToUnixTimeSeconds(),
            exp = (now + JwtLifetime).ToUnixTimeSeconds(),
            iss = settings.AppId,
        }));
        var signingInput = $"{header}.{payload}";
        var signature = appKey.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    internal bool TryGetInstallation(string repository, out long installationId) =>
        installations.TryGetValue(repository, out installationId);

    internal void RememberInstallation(string repository, long installationId) => installations[repository] = installationId;

    /// <summary>The cached token for an installation, or one minted by <paramref name="mintAsync"/> when it is missing or close to expiry.</summary>
    internal async Task<string> GetInstallationTokenAsync(
        long installationId, Func<CancellationToken, Task<InstallationToken>> mintAsync, CancellationToken cancellationToken)
    {
        if (TryGetFresh(installationId, out var token)) return token;
        await mintLock.WaitAsync(cancellationToken);
        try
        {
            if (TryGetFresh(installationId, out token)) return token;
            var fresh = await mintAsync(cancellationToken);
            tokens[installationId] = fresh;
            Interlocked.Increment(ref minted);
            return fresh.Token;
        }
        finally
        {
            mintLock.Release();
        }
    }

    /// <summary>Drops a token GitHub refused, so the next call mints a new one.</summary>
    internal void Forget(long installationId) => tokens.TryRemove(installationId, out _);

    bool TryGetFresh(long installationId, out string token)
    {
        token = "";
        if (!tokens.TryGetValue(installationId, out var cached)) return false;
        if (cached.ExpiresAt - clock.GetUtcNow() <= settings.TokenRefreshMargin) return false;
        token = cached.Token;
        return true;
    }

    static RSA LoadKey(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
        return rsa;
    }

    static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        if (appKey.IsValueCreated) appKey.Value.Dispose();
        mintLock.Dispose();
    }
}

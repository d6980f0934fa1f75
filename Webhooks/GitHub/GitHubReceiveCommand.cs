using System.Net.Http.Headers;
using Baton.Hosting;
using Microsoft.Extensions.Configuration;

namespace Baton.Webhooks.GitHub;

/// <summary>
/// <c>baton receive &lt;event&gt; &lt;payload.json&gt; [--url …] [--secret …]</c>: replays a payload file into a running Baton
/// the way GitHub would deliver it (Probot's <c>receive</c>): signed with the webhook secret, a fresh delivery id
/// each time. The secret comes from <c>--secret</c>, else <c>GitHub__WebhookSecret</c> in local.settings.json or the
/// environment. Prints the status code and the answer.
/// </summary>
public static class GitHubReceiveCommand
{
    public const string Usage = "Usage: baton receive <event> <payload.json> [--url http://localhost:7071] [--secret <webhook secret>]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        if (!TryParse(args, out var gitHubEvent, out var path, out var url, out var secret, out var problem))
        {
            await error.WriteLineAsync($"baton receive: {problem}");
            await error.WriteLineAsync(Usage);
            return HostCommandLine.UsageError;
        }
        secret ??= ConfiguredSecret();
        if (secret is null)
        {
            await error.WriteLineAsync("baton receive: no secret; pass --secret or set GitHub__WebhookSecret (local.settings.json or the environment).");
            return HostCommandLine.UsageError;
        }
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"baton receive: no such file: {path}");
            return HostCommandLine.UsageError;
        }

        var body = await File.ReadAllBytesAsync(path);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(url), "api/github/webhook"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(GitHubWebhookRequest.EventHeader, gitHubEvent);
        request.Headers.Add(GitHubWebhookRequest.DeliveryHeader, Guid.NewGuid().ToString());
        request.Headers.Add(GitHubSignature.HeaderName, GitHubSignature.Sign(body, secret));
        request.Headers.UserAgent.ParseAdd("baton-receive");

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        try
        {
            using var response = await http.SendAsync(request);
            await output.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
            await output.WriteLineAsync(await response.Content.ReadAsStringAsync());
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"baton receive: cannot reach {url}: {e.Message}");
            return 1;
        }
    }

    static bool TryParse(string[] args, out string gitHubEvent, out string path, out string url, out string? secret, out string problem)
    {
        (gitHubEvent, path, url, secret, problem) = ("", "", BatonHost.DefaultUrl, null, "");
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (name is "--url" or "--secret")
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
                if (string.IsNullOrEmpty(value)) { problem = $"{name} needs a value."; return false; }
                if (name == "--url") url = value;
                else secret = value;
            }
            else if (name.StartsWith("--", StringComparison.Ordinal)) { problem = $"unknown option '{name}'."; return false; }
            else positional.Add(args[i]);
        }
        if (positional.Count != 2) { problem = "expected an event name and a payload file."; return false; }
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            problem = $"'{url}' is not an http(s) URL.";
            return false;
        }
        (gitHubEvent, path, url) = (positional[0], positional[1], parsed.ToString());
        return true;
    }

    /// <summary>The primary secret from local.settings.json in the current directory, overridden by the environment.</summary>
    static string? ConfiguredSecret()
    {
        var configuration = new ConfigurationBuilder();
        var localSettings = Path.Combine(Directory.GetCurrentDirectory(), LocalSettings.FileName);
        if (File.Exists(localSettings)) configuration.AddInMemoryCollection(LocalSettings.Read(localSettings));
        configuration.AddEnvironmentVariables();
        var options = configuration.Build().GetSection(GitHubWebhookOptions.SectionName).Get<GitHubWebhookOptions>();
        return options?.ConfiguredSecrets.FirstOrDefault();
    }
}

using Baton.Activities.Transcription.WhisperNet;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Baton.Hosting;

/// <summary>
/// The <c>baton</c> command: <c>serve</c> (the default) runs the host; <c>demo</c>, <c>runner</c> and <c>receive</c>
/// are the other verbs. Arguments after the verb are ASP.NET Core's (<c>--urls</c>, <c>--Durable:Provider=…</c>).
/// </summary>
public static class HostCommandLine
{
    public const int UsageError = 64;

    static readonly (string Verb, string Summary)[] Verbs =
    [
        ("serve", "Run the host: management API, durable worker, entry points (default)."),
        ("demo", "Play a scenario (default: seed 003's \"AI Chat Widget\" milestone) against a local GitHub emulator (--scenario FILE, --agent-seconds N, --timeout N, --exit)."),
        ("runner", "Run an agent runner that talks to a host over HTTP (--Runner:HostUrl=URL --Runner:Token=TOKEN)."),
        ("receive", "Sign a GitHub webhook payload file and post it to a running Baton."),
    ];

    public static async Task<int> RunAsync(string[] args, Func<HostSettings, WebApplication> buildApp,
        TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var (verb, rest) = Split(args);

        if (verb is "help" || rest.Any(IsHelp))
        {
            await output.WriteAsync(Usage());
            return 0;
        }
        // Hidden from the usage: the child process the Whisper.net provider starts per transcription.
        if (verb is WhisperNetWorkerProtocol.Verb) return await WhisperNetWorker.RunAsync(rest, output, error);
        var known = Verbs.FirstOrDefault(v => v.Verb == verb);
        if (known.Verb is null)
        {
            await error.WriteLineAsync($"baton: unknown command '{verb}'.");
            await error.WriteAsync(Usage());
            return UsageError;
        }
        if (verb is "receive") return await Baton.Webhooks.GitHub.GitHubReceiveCommand.RunAsync(rest, output, error);
        if (verb is "demo") return await Baton.Demo.DemoCommand.RunAsync(rest, buildApp, output, error);
        if (verb is "runner") return await RunnerCommand.RunAsync(rest, error);
        return await ServeAsync(new HostSettings(rest), buildApp, error);
    }

    static async Task<int> ServeAsync(HostSettings settings, Func<HostSettings, WebApplication> buildApp, TextWriter error)
    {
        WebApplication? app = null;
        try
        {
            app = buildApp(settings);
            await app.StartAsync();
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException)
        {
            // Configuration mistakes and a taken port: one clear line instead of a stack trace.
            await error.WriteLineAsync($"baton: cannot start: {e.Message}");
            if (app is not null) await StopQuietlyAsync(app);
            return 1;
        }
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>Stops what did start (the durable worker starts before the server binds its port).</summary>
    static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception)
        {
            // Already failing to start; the first error is the one worth reporting.
        }
        await app.DisposeAsync();
    }

    /// <summary>The verb (default <c>serve</c>) and the arguments after it.</summary>
    static (string Verb, string[] Remaining) Split(string[] args)
    {
        if (args.Length == 0) return ("serve", []);
        var first = args[0];
        if (IsHelp(first)) return ("help", args[1..]);
        return first.StartsWith('-') ? ("serve", args) : (first.ToLowerInvariant(), args[1..]);
    }

    static bool IsHelp(string arg) => arg is "--help" or "-h" or "-?" or "/?";

    static string Usage()
    {
        var lines = new List<string>
        {
            "Usage: baton [command] [options]",
            "",
            "Commands:",
        };
        lines.AddRange(Verbs.Select(v => $"  {v.Verb,-9}{v.Summary}"));
        lines.AddRange(
        [
            "",
            "Options (serve):",
            $"  --urls <urls>           Where to listen (default {BatonHost.DefaultUrl}).",
            "  --<Section>:<Key>=<v>   Any configuration key, e.g. --Durable:Provider=Postgres.",
            "  -h, --help              Show this help.",
            "",
            "Configuration, later wins: host.json, local.settings.json (Values), environment variables, command line.",
            "",
        ]);
        return string.Join(Environment.NewLine, lines);
    }
}

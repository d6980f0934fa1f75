using Baton.Failures;
using Baton.Runner.Processes;

namespace Baton.Activities.Transcription.WhisperNet;

/// <summary>
/// How to start this same Baton assembly as a <c>whisper-worker</c> child, from wherever the parent runs: the
/// <c>baton</c> apphost, <c>dotnet baton.dll</c>, or a test host (where the entry assembly is testhost, not Baton, and
/// Baton's <c>runtimeconfig.json</c>/<c>deps.json</c> are copied beside it by the project reference).
/// </summary>
public static class WhisperNetWorkerCommand
{
    /// <summary>Inherited variables the child keeps; everything else (tokens, keys, connection strings) is dropped,
    /// because the worker needs none of them and a native crash report must not be able to carry one.</summary>
    static readonly string[] PassedOnPrefixes = ["DOTNET_", "LC_"];
    static readonly string[] PassedOn = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];

    public static ProcessSpec Spec(string modelPath, string wavPath, string? language, int threads, TimeSpan timeout)
    {
        var (fileName, prefix) = Executable();
        var arguments = new List<string>(prefix) { WhisperNetWorkerProtocol.Verb, WhisperNetWorkerProtocol.Model, modelPath, WhisperNetWorkerProtocol.Wav, wavPath };
        if (!string.IsNullOrWhiteSpace(language)) arguments.AddRange([WhisperNetWorkerProtocol.Language, language]);
        if (threads > 0) arguments.AddRange([WhisperNetWorkerProtocol.Threads, threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return new ProcessSpec(fileName, arguments, Path.GetTempPath())
        {
            Timeout = timeout,
            RemoveInherited = name => !PassedOn.Contains(name) && !PassedOnPrefixes.Any(name.StartsWith),
            Environment = new Dictionary<string, string>
            {
                // ggml's abort handler otherwise runs gdb against the dying child to print a backtrace: seconds of
                // delay and pages of noise for a failure the exit code already explains.
                ["GGML_NO_BACKTRACE"] = "1",
                // No crash dump of a process whose only input is a model file and audio.
                ["DOTNET_DbgEnableMiniDump"] = "0",
            },
            MaxCapturedChars = 64 * 1024,
        };
    }

    /// <summary>The program to start and the arguments that come before the verb.</summary>
    static (string FileName, IReadOnlyList<string> Prefix) Executable()
    {
        var assembly = typeof(WhisperNetWorkerCommand).Assembly.Location;
        var current = Environment.ProcessPath;
        // Published as a single file: there is no assembly file, only the executable.
        if (assembly.Length == 0 && current is not null)
            return (current, []);
        var directory = Path.GetDirectoryName(assembly) ?? AppContext.BaseDirectory;
        var name = Path.GetFileNameWithoutExtension(assembly);

        // Started as the apphost: start it again.
        if (current is not null && Path.GetFileNameWithoutExtension(current) == name && Path.GetDirectoryName(current) == directory)
            return (current, []);

        var runtimeConfig = Path.Combine(directory, name + ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
            throw new ClassifiedFailureException(FailureClass.Permanent,
                $"Cannot start the Whisper worker: {runtimeConfig} is missing beside {assembly}.");

        // Run by the dotnet host (dotnet baton.dll, dotnet test): use the same host. DOTNET_HOST_PATH is how the
        // dotnet CLI tells the processes it starts where it is; it is read here, not bound, because it describes this
        // process rather than configuring Baton.
        var host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet"
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromCli && File.Exists(fromCli) ? fromCli : null;
        if (host is not null)
        {
            var deps = Path.Combine(directory, name + ".deps.json");
            return (host, File.Exists(deps)
                ? ["exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, assembly]
                : ["exec", "--runtimeconfig", runtimeConfig, assembly]);
        }

        // Some other host (a test runner's own executable): Baton's apphost, if it was built, else dotnet on the PATH.
        var apphost = Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name);
        return File.Exists(apphost) ? (apphost, []) : ("dotnet", ["exec", assembly]);
    }
}

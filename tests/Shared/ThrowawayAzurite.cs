using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Baton.Testing;

/// <summary>
/// Azurite (the Azure Storage emulator: blob, queue and table services) for tests: started as a child process on free
/// ports of 127.0.0.1 with its data in a temporary directory, killed and deleted on dispose. When the environment
/// variable <c>BATON_TEST_AZURITE</c> holds a connection string, that emulator (or account) is used instead and nothing
/// is started.
/// </summary>
/// <remarks>
/// <see cref="Shared"/> gives one emulator to the whole test run (it is killed when the process exits); each test class
/// then takes its own task hub, container or table names. The binary is the one <c>scripts/ensure-azurite</c> installs
/// into <c>.tools/azurite</c>, else <c>azurite</c> on PATH; if neither exists this throws with the install command: a
/// test that silently skips is not a passing test.
/// </remarks>
public sealed class ThrowawayAzurite : IAsyncDisposable, IDisposable
{
    public const string EnvironmentVariable = "BATON_TEST_AZURITE";

    /// <summary>Azurite's one built-in account and its published, well-known key (not a secret).</summary>
    const string AccountName = "devstoreaccount1";
    const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    const string LocalBinary = ".tools/azurite/node_modules/.bin/azurite";
    const string InstallHint = "scripts/ensure-azurite (installs the pinned azurite@3.37.0 into .tools/azurite with npm)";
    static readonly string WorkspacesRoot = Path.Combine(Path.GetTempPath(), "baton-azurite");
    static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    static readonly Lazy<Task<ThrowawayAzurite>> shared = new(StartSharedAsync);

    readonly Process? process;
    readonly string? workspace;
    int disposed;

    ThrowawayAzurite(string connectionString, Process? process, string? workspace)
    {
        ConnectionString = connectionString;
        this.process = process;
        this.workspace = workspace;
    }

    /// <summary>A shared-key connection string with the blob, queue and table endpoints.</summary>
    public string ConnectionString { get; }

    /// <summary>The emulator shared by everything in this process.</summary>
    public static Task<ThrowawayAzurite> Shared => shared.Value;

    /// <summary>Starts a new emulator (or uses <c>BATON_TEST_AZURITE</c>).</summary>
    public static async Task<ThrowawayAzurite> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
            return new ThrowawayAzurite(external, process: null, workspace: null);

        var azurite = FindBinary();
        KillAbandoned();
        for (var attempt = 1; ; attempt++)
        {
            var workspace = Path.Combine(WorkspacesRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(workspace);
            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var output = new StringBuilder();
            var process = Start(azurite, workspace, blob, queue, table, output);
            try
            {
                await WaitUntilListeningAsync(process, output, blob, queue, table);
                return new ThrowawayAzurite(ConnectionStringFor(blob, queue, table), process, workspace);
            }
            catch (Exception e)
            {
                Kill(process);
                process.Dispose();
                Directory.Delete(workspace, recursive: true);
                // An early exit is most likely a port someone took between our probe and Azurite's bind: try others.
                if (e is not InvalidOperationException || attempt >= 3) throw;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1 || process is null) return;
        try
        {
            Kill(process);
        }
        finally
        {
            process.Dispose();
            Directory.Delete(workspace!, recursive: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    static async Task<ThrowawayAzurite> StartSharedAsync()
    {
        var azurite = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Dispose();
        return azurite;
    }

    static string ConnectionStringFor(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queue}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{table}/{AccountName};";

    static Process Start(string azurite, string workspace, int blob, int queue, int table, StringBuilder output)
    {
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace,
        };
        foreach (var argument in (string[])[
                     "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", workspace,
                     "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                     "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{table}"])
        {
            start.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start()) throw new InvalidOperationException($"Could not start {azurite}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Lets an abandoned emulator be found and killed by the next run if this test process is killed outright.
        File.WriteAllText(Path.Combine(workspace, "azurite.pid"), $"{process.Id}");
        return process;
    }

    static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>Waits (bounded) until all three services accept connections; fails at once if Azurite exits.</summary>
    static async Task WaitUntilListeningAsync(Process process, StringBuilder output, params int[] ports)
    {
        var deadline = DateTime.UtcNow + StartBound;
        var waiting = new List<int>(ports);
        while (waiting.Count > 0)
        {
            if (process.HasExited)
            {
                lock (output)
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening:\n{output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                lock (output)
                    throw new TimeoutException($"Azurite did not listen on {string.Join(", ", waiting)} within {StartBound}:\n{output}");
            }
            foreach (var port in waiting.ToArray())
            {
                if (await AcceptsAsync(port)) waiting.Remove(port);
            }
            if (waiting.Count > 0) await Task.Delay(50);
        }
    }

    static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    static string FindBinary()
    {
        if (RepositoryRoot() is { } root && Path.Combine(root, LocalBinary) is var local && File.Exists(local)) return local;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "azurite"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"Azurite was not found at <repository>/{LocalBinary} nor on PATH. The Azure Storage tests start their own " +
            $"throwaway emulator; install it with {InstallHint}, or set {EnvironmentVariable} to the connection string " +
            "of an emulator to use.");
    }

    /// <summary>The folder holding Baton.slnx, found by walking up from the test assembly.</summary>
    static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>Kills emulators left behind by test processes that were killed (their workspace names start with a
    /// process id that no longer runs) and deletes their workspaces.</summary>
    static void KillAbandoned()
    {
        if (!Directory.Exists(WorkspacesRoot)) return;
        foreach (var dir in Directory.GetDirectories(WorkspacesRoot))
        {
            var name = Path.GetFileName(dir);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], out var owner) || IsAlive(owner)) continue;
            if (File.Exists(Path.Combine(dir, "azurite.pid")) &&
                int.TryParse(File.ReadAllText(Path.Combine(dir, "azurite.pid")), out var pid) && IsAzuriteIn(pid, dir))
            {
                using var orphan = Process.GetProcessById(pid);
                Kill(orphan);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Whether <paramref name="pid"/> is still the Azurite serving <paramref name="workspace"/> (and not some
    /// other process that reused the id).</summary>
    static bool IsAzuriteIn(int pid, string workspace)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        try
        {
            return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(workspace, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

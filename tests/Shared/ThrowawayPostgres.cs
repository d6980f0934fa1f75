using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Baton.Testing;

/// <summary>
/// A PostgreSQL cluster for tests and benchmarks: <c>initdb</c> + <c>pg_ctl</c> on a free port in a temporary
/// directory, stopped and deleted on dispose. When the environment variable <c>BATON_TEST_POSTGRES</c> holds a
/// connection string, that server is used instead and nothing is started.
/// </summary>
/// <remarks>
/// <see cref="Shared"/> gives one cluster to the whole test run (it stops when the process exits); each test class then
/// takes a fresh database with <see cref="CreateDatabaseAsync"/>. If the server binaries are missing this throws with
/// the install command: a test that silently skips is not a passing test.
/// </remarks>
public sealed class ThrowawayPostgres : IAsyncDisposable, IDisposable
{
    public const string EnvironmentVariable = "BATON_TEST_POSTGRES";
    const string BinariesRoot = "/usr/lib/postgresql";
    const string ClustersRoot = "/tmp/baton-pg";

    static readonly Lazy<Task<ThrowawayPostgres>> shared = new(StartSharedAsync);

    readonly string? dataRoot;
    readonly string? binDirectory;
    readonly List<string> createdDatabases = [];
    int disposed;

    ThrowawayPostgres(string adminConnectionString, string? dataRoot, string? binDirectory)
    {
        AdminConnectionString = adminConnectionString;
        this.dataRoot = dataRoot;
        this.binDirectory = binDirectory;
    }

    /// <summary>A superuser connection string to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The cluster shared by everything in this process.</summary>
    public static Task<ThrowawayPostgres> Shared => shared.Value;

    /// <summary>Starts a new cluster (or connects to <c>BATON_TEST_POSTGRES</c>).</summary>
    public static async Task<ThrowawayPostgres> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
            return new ThrowawayPostgres(external, dataRoot: null, binDirectory: null);

        var bin = FindBinaries();
        StopAbandonedClusters(bin);
        var root = Path.Combine(ClustersRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        PrepareDirectory(root);
        var data = Path.Combine(root, "data");
        await RunAsync(bin, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync");

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                await RunAsync(bin, "pg_ctl", "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                    "-o", $"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300", "start");
                var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
                return new ThrowawayPostgres(connectionString, root, bin);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Most likely someone took the port between our probe and the server's bind; try another.
            }
        }
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (createdDatabases) createdDatabases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        if (dataRoot is null)
        {
            DropCreatedDatabases();
            return;
        }
        try
        {
            RunAsync(binDirectory!, "pg_ctl", "-D", Path.Combine(dataRoot, "data"), "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(dataRoot, recursive: true);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    static async Task<ThrowawayPostgres> StartSharedAsync()
    {
        var cluster = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    void DropCreatedDatabases()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        lock (createdDatabases)
        {
            foreach (var name in createdDatabases)
            {
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
        }
    }

    static string FindBinaries()
    {
        var candidates = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot)
                .Select(dir => (Dir: dir, Version: double.TryParse(Path.GetFileName(dir), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(c => File.Exists(Path.Combine(c.Dir, "bin", "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries were not found under {BinariesRoot}/*/bin. The PostgreSQL tests start their own " +
                "throwaway server; install it with `apt-get install -y postgresql`, or set " +
                $"{EnvironmentVariable} to the connection string of a server to use.");
        }
        return Path.Combine(candidates[0].Dir, "bin");
    }

    /// <summary>The data directory must be reachable by the <c>postgres</c> user (mktemp-style 0700 parents are not).</summary>
    static void PrepareDirectory(string root)
    {
        const UnixFileMode traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(ClustersRoot);
        Directory.CreateDirectory(root);
        if (OperatingSystem.IsWindows()) return;
        if (IsRoot()) File.SetUnixFileMode(ClustersRoot, traversable);
        File.SetUnixFileMode(root, traversable);
        if (IsRoot()) RunAsync(null, "chown", "postgres:postgres", root).GetAwaiter().GetResult();
    }

    /// <summary>Stops clusters left behind by test processes that were killed (their directory names start with a
    /// process id that no longer runs) and deletes their directories.</summary>
    static void StopAbandonedClusters(string bin)
    {
        if (!Directory.Exists(ClustersRoot)) return;
        foreach (var dir in Directory.GetDirectories(ClustersRoot))
        {
            var name = Path.GetFileName(dir);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid) || ProcessIsAlive(pid)) continue;
            try
            {
                if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
                    RunAsync(bin, "pg_ctl", "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Not running any more; just remove the directory.
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    static bool ProcessIsAlive(int pid)
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

    static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Runs a PostgreSQL tool (as the <c>postgres</c> user when we are root: initdb refuses to run as root).</summary>
    static async Task RunAsync(string? bin, string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var executable = bin is null ? tool : Path.Combine(bin, tool);
        if (bin is not null && IsRoot())
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", "postgres", "--", executable]) start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = executable;
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = arguments.SkipWhile(a => a != "-l").Skip(1).FirstOrDefault();
            var serverLog = log is not null && File.Exists(log) ? File.ReadAllText(log) : "";
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:\n{await output}\n{await error}\n{serverLog}");
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

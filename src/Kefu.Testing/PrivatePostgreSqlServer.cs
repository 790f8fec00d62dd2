using System.Diagnostics;
using System.Globalization;

namespace Kefu.Testing;

/// <summary>
/// A private PostgreSQL server for tests and benchmarks: <c>initdb</c> into a temporary directory (trust
/// authentication, superuser <see cref="Superuser"/>), <c>pg_ctl start</c> on a free loopback port with its socket in
/// that directory, tuned for throw-away data (no fsync), and on dispose <c>pg_ctl stop</c> and the directory removed.
/// PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as the unprivileged user <c>nobody</c> through
/// <c>runuser</c>, and the directory is handed to that user first. The binaries are looked for in
/// <c>$KEFU_POSTGRES_BIN</c> (only there when it is set), in <c>/usr/lib/postgresql/*/bin</c> (where Debian installs
/// them, newest first) and on PATH. When they are missing, <see cref="StartAsync"/> fails, saying how to install them.
/// </summary>
public sealed class PrivatePostgreSqlServer : IAsyncDisposable
{
    /// <summary>The superuser the server is created with.</summary>
    public const string Superuser = "kefu";

    private const string UnprivilegedUser = "nobody";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private string? _root;
    private string? _binaries;
    private bool _started;

    private PrivatePostgreSqlServer()
    {
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server, as the superuser.</summary>
    public string ConnectionString(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=30;Command Timeout=60");
    }

    /// <summary>Creates the server's data directory and starts it.</summary>
    /// <param name="maxConnections">The server's <c>max_connections</c>.</param>
    /// <exception cref="InvalidOperationException">The server programs are missing, or the server did not start (with its log).</exception>
    public static async Task<PrivatePostgreSqlServer> StartAsync(int maxConnections = 300)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 10);
        var server = new PrivatePostgreSqlServer();
        try
        {
            await server.InitializeAsync(maxConnections).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync(int maxConnections)
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found in $KEFU_POSTGRES_BIN, /usr/lib/postgresql/*/bin or on PATH. " +
            "A private server needs them and never skips: run ./test.sh, which installs the Debian package " +
            "'postgresql' when it is missing (or install it yourself: apt-get install postgresql).");
        var asRoot = ServerProcesses.IsRoot();

        // As root, under /tmp rather than $TMPDIR: the unprivileged user must be able to reach the directory.
        _root = asRoot && Directory.Exists("/tmp")
            ? Directory.CreateDirectory(Path.Combine("/tmp", $"kefu-pg-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("kefu-pg-").FullName;
        var data = Path.Combine(_root, "data");
        var log = Path.Combine(_root, "server.log");
        if (asRoot)
        {
            // PostgreSQL will not run as root: the directory goes to an unprivileged user, who runs initdb and pg_ctl.
            await RunAsync("chown", [UnprivilegedUser, _root], asUser: null).ConfigureAwait(false);
        }

        var user = asRoot ? UnprivilegedUser : null;
        await RunAsync(
            Path.Combine(_binaries, "initdb"),
            ["-D", data, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            user).ConfigureAwait(false);

        // A free port can be taken between choosing it and the server binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = ServerProcesses.FreePort();
            var options = string.Join(
                ' ',
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_root}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                $"-c max_connections={maxConnections.ToString(CultureInfo.InvariantCulture)}");
            try
            {
                await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["start", "-w", "-t", "60", "-D", data, "-l", log, "-o", options], user).ConfigureAwait(false);
                _started = true;
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch (InvalidOperationException e)
            {
                var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log).ConfigureAwait(false) : "(no server log)";
                throw new InvalidOperationException($"{e.Message}\nServer log:\n{serverLog}", e);
            }
        }
    }

    /// <summary>Stops the server (immediately) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started && _root is not null && _binaries is not null)
            {
                _started = false;
                await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["stop", "-w", "-t", "60", "-m", "immediate", "-D", Path.Combine(_root, "data")], ServerProcesses.IsRoot() ? UnprivilegedUser : null).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_root is not null && Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }

            _root = null;
        }
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("KEFU_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            // When set, only there: a wrong setting fails rather than quietly using another installation.
            return File.Exists(Path.Combine(configured, "initdb")) && File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(
                Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(d => (Directory: d, Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                    .OrderByDescending(d => d.Version)
                    .Select(d => Path.Combine(d.Directory, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        candidates.Add("/usr/local/bin");
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Runs a program (as <paramref name="asUser"/> through runuser when given) and throws with its output when it fails.</summary>
    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string? asUser)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asUser is null)
        {
            start.FileName = program;
        }
        else
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(asUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        await ServerProcesses.RunAsync(start, CommandTimeout).ConfigureAwait(false);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kefu.Testing;

/// <summary>
/// A private RabbitMQ node for tests and benchmarks: its own node name (<c>kefu-test-RANDOM@localhost</c>), AMQP and
/// distribution ports, its own epmd on its own port, and its data, logs, plugins file, configuration and Erlang cookie
/// in a temporary directory removed afterwards. The server scripts come from Debian's <c>rabbitmq-server</c>
/// (<c>/usr/lib/rabbitmq/bin</c>, or <c>$KEFU_RABBITMQ_BIN</c>); as root they run as the unprivileged user
/// <c>rabbitmq</c> (or <c>nobody</c>). When they are missing, <see cref="StartAsync"/> fails saying how to install them.
/// <see cref="RestartAsync"/> stops and starts the node on the same data directory.
/// </summary>
public sealed class PrivateRabbitMqServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _nodeName = $"kefu-test-{Guid.NewGuid().ToString("N")[..10]}@localhost";
    private string? _root;
    private string? _binaries;
    private string? _user;
    private Process? _epmd;
    private Process? _server;
    private int _epmdPort;
    private int _distPort;

    /// <summary>The AMQP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The broker's AMQP URI (the default guest account, allowed on loopback here).</summary>
    public string Uri => string.Create(CultureInfo.InvariantCulture, $"amqp://guest:guest@127.0.0.1:{Port}/");

    private PrivateRabbitMqServer()
    {
    }

    /// <summary>Creates the node's directory, starts its epmd and the node, and waits until it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">The server scripts are missing, or the node did not start (with its logs).</exception>
    public static async Task<PrivateRabbitMqServer> StartAsync()
    {
        var server = new PrivateRabbitMqServer();
        try
        {
            await server.InitializeAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(
            "RabbitMQ's server scripts (rabbitmq-server, rabbitmqctl) were not found in $KEFU_RABBITMQ_BIN or /usr/lib/rabbitmq/bin. " +
            "A private node needs them and never skips: run ./test.sh, which installs the Debian package " +
            "'rabbitmq-server' when it is missing (or install it yourself: apt-get install rabbitmq-server).");
        var asRoot = ServerProcesses.IsRoot();
        _user = asRoot ? (UserExists("rabbitmq") ? "rabbitmq" : "nobody") : null;
        _root = Directory.CreateDirectory(Path.Combine("/tmp", $"kefu-rmq-{Guid.NewGuid():N}")).FullName;
        Directory.CreateDirectory(Path.Combine(_root, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_root, "log"));
        await File.WriteAllTextAsync(Path.Combine(_root, "enabled_plugins"), "[].\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(_root, ".erlang.cookie"), $"KEFUTEST{Guid.NewGuid():N}".ToUpperInvariant()).ConfigureAwait(false);
        Port = ServerProcesses.FreePort();
        _distPort = ServerProcesses.FreePort();
        _epmdPort = ServerProcesses.FreePort();
        await File.WriteAllTextAsync(
            Path.Combine(_root, "rabbitmq.conf"),
            string.Create(CultureInfo.InvariantCulture, $"listeners.tcp.default = 127.0.0.1:{Port}\nloopback_users = none\nlog.console = false\nlog.file.level = warning\n")).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_root, ".erlang.cookie"), UnixFileMode.UserRead);
        }
        if (_user is not null)
        {
            await RunAsync("chown", ["-R", _user, _root], asUser: null, environment: false).ConfigureAwait(false);
        }

        // epmd first, on the node's own port, as a child of this process, so it goes when the tests end.
        _epmd = Start(FindEpmd(), ["-port", _epmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"]);
        await StartServerAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the node (as a crash would not: cleanly) and starts it again on the same data; durable queues keep their messages.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopServerAsync().ConfigureAwait(false);
        await Task.Delay(downFor).ConfigureAwait(false);
        await StartServerAsync().ConfigureAwait(false);
    }

    private async Task StartServerAsync()
    {
        _server = Start(Path.Combine(_binaries!, "rabbitmq-server"), []);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with code {_server.ExitCode}:\n{ReadLogs()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port).ConfigureAwait(false);
                await RunAsync(Path.Combine(_binaries!, "rabbitmqctl"), ["-n", _nodeName, "await_startup"], _user, environment: true).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is SocketException or InvalidOperationException && waited.Elapsed < StartTimeout)
            {
                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }

    private async Task StopServerAsync()
    {
        if (_server is null)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binaries!, "rabbitmqctl"), ["-n", _nodeName, "stop"], _user, environment: true).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _server.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _server.Kill(entireProcessTree: true);
        }

        _server.Dispose();
        _server = null;
    }

    /// <summary>Stops the node and its epmd and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_epmd is { HasExited: false })
            {
                _epmd.Kill(entireProcessTree: true);
                await _epmd.WaitForExitAsync().ConfigureAwait(false);
            }

            _epmd?.Dispose();
            if (_root is not null && Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        }
    }

    private string ReadLogs()
    {
        var log = Path.Combine(_root!, "log");
        return string.Join('\n', Directory.Exists(log) ? Directory.GetFiles(log).Select(f => $"{f}:\n{File.ReadAllText(f)}") : []);
    }

    private ProcessStartInfo Info(string program, IReadOnlyList<string> arguments, string? asUser, bool environment)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _root };
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
            start.ArgumentList.Add("env");
            if (environment)
            {
                foreach (var (key, value) in Environment(_root!))
                {
                    start.ArgumentList.Add($"{key}={value}");
                }
            }

            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (environment)
        {
            foreach (var (key, value) in Environment(_root!))
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    private Dictionary<string, string> Environment(string root) => new()
    {
        ["HOME"] = root,
        ["LC_ALL"] = "C.UTF-8",
        ["RABBITMQ_NODENAME"] = _nodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture),
        ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(root, "rabbitmq.pid"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(root, "rabbitmq-env.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(root, "advanced.config"),
    };

    private Process Start(string program, IReadOnlyList<string> arguments)
    {
        var process = Process.Start(Info(program, arguments, _user, environment: true)) ?? throw new InvalidOperationException($"Cannot start {program}.");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private Task RunAsync(string program, IReadOnlyList<string> arguments, string? asUser, bool environment)
        => ServerProcesses.RunAsync(Info(program, arguments, asUser, environment), StartTimeout);

    private static string? FindBinaries()
    {
        if (System.Environment.GetEnvironmentVariable("KEFU_RABBITMQ_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "rabbitmq-server")) ? configured : null;
        }

        return File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server") && File.Exists("/usr/lib/rabbitmq/bin/rabbitmqctl") ? "/usr/lib/rabbitmq/bin" : null;
    }

    private static string FindEpmd()
    {
        var candidates = new[] { "/usr/bin/epmd" }.Concat(Directory.Exists("/usr/lib/erlang") ? Directory.GetFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories) : []);
        return candidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("Erlang's epmd was not found; install the Debian package 'rabbitmq-server' (./test.sh does).");
    }

    private static bool UserExists(string name) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));
}

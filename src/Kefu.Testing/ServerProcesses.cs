using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kefu.Testing;

/// <summary>What the private servers share: free loopback ports, whether this process is root, and running a program to its end.</summary>
internal static class ServerProcesses
{
    /// <summary>A loopback port free now (it can be taken before the server binds it: callers retry).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Whether this process runs as root (servers refuse to, so they run as an unprivileged user then).</summary>
    public static bool IsRoot() => Environment.UserName == "root" || EffectiveUserId() == 0;

    /// <summary>Runs <paramref name="start"/> (output redirected) to its end and throws with its output when it fails or takes longer than <paramref name="timeout"/>.</summary>
    public static async Task RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        var command = $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{command} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{command} failed with exit code {process.ExitCode}:\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
        }
    }

    private static uint EffectiveUserId()
    {
        // /proc/self/status: "Uid:\treal\teffective\tsaved\tfs".
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: > 2 } ? uint.Parse(fields[2], CultureInfo.InvariantCulture) : uint.MaxValue;
        }
        catch (IOException)
        {
            return uint.MaxValue;
        }
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Benchmarks.Engine;

/// <summary>
/// Message send through the engine on each store against the in-memory store (the baseline), in the same run: one
/// tenant, sixteen conversations, <see cref="EngineRig.MessagesPerInvoke"/> messages in flight per invocation, each
/// acknowledged only after its batch is committed. SQLite runs on a new database file in the temporary folder each
/// iteration (WAL, one writer, group commit); PostgreSQL on a new database each iteration on a private server on
/// loopback (<see cref="PrivatePostgreSqlServer"/>, started once, no fsync as for throw-away data). Goals (issue 8):
/// SQLite at ≥ 30 % of the in-memory rate (Ratio ≤ 3.3), PostgreSQL at ≥ 15 % (Ratio ≤ 6.7).
/// </summary>
// Not sealed: BenchmarkDotNet generates its runner as a class derived from this one.
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class StoreBenchmarks
{
    private const int InvocationsPerIteration = 8;

    private readonly MessageContent _content = MessageContent.FromText("您好，我的订单 20240612-0042 还没有发货，请问什么时候能到？");
    private readonly ValueTask<SendResult>[] _pending = new ValueTask<SendResult>[EngineRig.MessagesPerInvoke];
    private string[] _clientMessageIds = [];
    private int _iteration;
    private int _invocation;
    private EngineRig? _rig;
    private PrivatePostgreSqlServer? _postgres;

    [GlobalSetup(Target = nameof(PostgreSqlSend))]
    public void StartPostgreSqlServer() => _postgres = PrivatePostgreSqlServer.StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup(Target = nameof(PostgreSqlSend))]
    public void StopPostgreSqlServer()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        _postgres?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _postgres = null;
    }

    [IterationSetup(Target = nameof(InMemorySend))]
    public void StartInMemory() => Start(null, null);

    [IterationSetup(Target = nameof(SqliteSend))]
    public void StartSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kefu-bench-{Guid.NewGuid():N}.db");
        Start(b => b.UseSqlite($"Data Source={path}"), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return ValueTask.CompletedTask;
        });
    }

    [IterationSetup(Target = nameof(PostgreSqlSend))]
    public void StartPostgreSql()
    {
        var server = _postgres ?? throw new InvalidOperationException("The global setup did not start PostgreSQL.");
        var database = $"kefu_bench_{Guid.NewGuid():N}";
        using (var admin = new Npgsql.NpgsqlConnection(server.ConnectionString("postgres")))
        {
            admin.Open();
            using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\";", admin);
            create.ExecuteNonQuery();
        }

        Start(b => b.UsePostgreSql(server.ConnectionString(database)), null);
    }

    [IterationCleanup]
    public void Stop()
    {
        _rig?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rig = null;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EngineRig.MessagesPerInvoke)]
    public Task InMemorySend() => SendAsync();

    [Benchmark(OperationsPerInvoke = EngineRig.MessagesPerInvoke)]
    public Task SqliteSend() => SendAsync();

    [Benchmark(OperationsPerInvoke = EngineRig.MessagesPerInvoke)]
    public Task PostgreSqlSend() => SendAsync();

    private Task SendAsync()
    {
        var rig = _rig ?? throw new InvalidOperationException("The iteration setup did not start the engine.");
        var offset = _invocation++ * EngineRig.MessagesPerInvoke;
        return rig.SendAsync(_pending, _content, _clientMessageIds, offset);
    }

    private void Start(Action<IKefuBuilder>? configure, Func<ValueTask>? cleanup)
    {
        var iteration = ++_iteration;
        var ids = new string[InvocationsPerIteration * EngineRig.MessagesPerInvoke];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = string.Create(CultureInfo.InvariantCulture, $"store-{iteration}-{i}");
        }

        _clientMessageIds = ids;
        _invocation = 0;
        // BenchmarkDotNet 0.14 runs iteration setup and cleanup only as void methods (dotnet/BenchmarkDotNet#2442).
        _rig = EngineRig.CreateAsync(configure, cleanup).GetAwaiter().GetResult();
    }
}

using System.Threading.RateLimiting;
using Kefu.Host.Api;
using Kefu.Host.Infrastructure;
using Kefu.Host.RealTime;
using Kefu.Host.Security;
using Kefu.Host.Seeding;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kefu.Host;

/// <summary>Wires Kefu and the host's services, and maps every endpoint.</summary>
public static class HostSetup
{
    /// <summary>The rate-limiter policy of the login endpoints.</summary>
    public const string LoginRateLimit = "login";

    /// <summary>
    /// The pages are served from the working directory's <c>wwwroot</c> when there is one (a published host started
    /// in its folder). Started from anywhere else (<c>dotnet run --project samples/Kefu.Host</c> from the repository's
    /// root, whose working directory holds the SQLite file), they come from the <c>wwwroot</c> beside the program or,
    /// in a build, from the project's own folder through the static web assets manifest.
    /// </summary>
    private static void UsePagesWhereverStarted(WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        if (Directory.Exists(Path.Combine(environment.ContentRootPath, "wwwroot")))
        {
            return;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(beside))
        {
            environment.WebRootPath = beside;
            environment.WebRootFileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(beside);
        }
        else
        {
            Microsoft.AspNetCore.Hosting.StaticWebAssets.StaticWebAssetsLoader.UseStaticWebAssets(environment, builder.Configuration);
        }
    }

    /// <summary>
    /// The arguments the host is built with: the caller's, after a setting that stops the configuration files from being
    /// watched. The host binds its options once at start; watching the working directory, which holds the SQLite
    /// database, would cost a thread reading a change notice for every write to the database's log. A later
    /// <c>--hostBuilder:reloadConfigOnChange=true</c> still turns watching on.
    /// </summary>
    /// <param name="args">The command line.</param>
    public static string[] Arguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return ["--hostBuilder:reloadConfigOnChange=false", .. args];
    }

    /// <summary>
    /// Started from a folder without an <c>appsettings.json</c> (<c>dotnet run --project samples/Kefu.Host</c> from the
    /// repository's root), the host reads the one beside the program, at the same rank: environment variables and the
    /// command line still override it.
    /// </summary>
    private static void UseSettingsWhereverStarted(WebApplicationBuilder builder)
    {
        const string File = "appsettings.json";
        if (System.IO.File.Exists(Path.Combine(builder.Environment.ContentRootPath, File)) || !System.IO.File.Exists(Path.Combine(AppContext.BaseDirectory, File)))
        {
            return;
        }

        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var rank = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: { } path } && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                rank = i;
                break;
            }
        }

        sources.Insert(rank, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            Path = File,
            Optional = true,
            ReloadOnChange = false,
        });
    }

    /// <summary>Registers every engine, the store chosen by configuration, security, real time, health and metrics.</summary>
    public static WebApplicationBuilder AddKefuHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        UseSettingsWhereverStarted(builder);
        UsePagesWhereverStarted(builder);

        services.AddOptions<KefuHostOptions>().Bind(configuration.GetSection(KefuHostOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.Section));
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var host = configuration.GetSection(KefuHostOptions.Section).Get<KefuHostOptions>() ?? new KefuHostOptions();

        // Every engine, on the configured store; with RabbitMQ, one node of a cluster on a shared PostgreSQL.
        var kefu = AddKefuEngines(services, storage, configuration.GetValue("Kefu:NodeId", 1));
        var rabbitMq = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        if (rabbitMq.Enabled)
        {
            UseRabbitMqCluster(kefu, storage, rabbitMq);
        }

        services.AddSingleton<HostMetrics>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<OperatorAccounts>();
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<RealTimeHub>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<DemoState>();

        services.ConfigureHttpJsonOptions(o => JsonSetup.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddExceptionHandler<KefuExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Kefu reference host";
            document.Info.Description = "Every engine of Kefu behind /api/v1. Sign in with POST /api/v1/auth/login (cookie session, send X-XSRF-TOKEN on writes) or send X-Api-Key. See PROTOCOL.md for the WebSocket frames.";
            return Task.CompletedTask;
        }));

        // Cookies and visitor tokens stay valid across restarts: the keys live next to the database.
        services.AddDataProtection().SetApplicationName("Kefu.Host").PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(host.KeysDirectory)));
        services.AddHostAuthentication(host.SessionLifetime);
        services.AddAuthorization(HostPermissions.AddPolicies);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryMiddleware.HeaderName;
            o.Cookie.Name = "kefu.xsrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many login attempts", detail: "Wait a minute and try again.")
                    .ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<KefuHostOptions>>().Value.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = host.MaxUploadBytes);

        services.AddHealthChecks()
            .AddCheck("live", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"]);

        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        return builder;
    }

    /// <summary>Registers Kefu with routing, robots, analytics and sensitive words on the configured store.</summary>
    public static IKefuBuilder AddKefuEngines(IServiceCollection services, StorageOptions storage, int nodeId)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var kefu = services.AddKefu(o => o.NodeId = nodeId)
            .AddRouting()
            .AddBots()
            .AddAnalytics()
            .UseSensitiveWords()
            .AddEventSink<MetricsEventSink>();
        _ = storage.Provider switch
        {
            StorageProvider.Sqlite => kefu.UseSqlite(storage.ConnectionString),
            StorageProvider.PostgreSql => kefu.UsePostgreSql(storage.ConnectionString),
            StorageProvider.InMemory => kefu.UseInMemory(),
            _ => throw new KefuValidationException("Kefu:Storage:Provider", "Sqlite, PostgreSql or InMemory"),
        };
        return kefu;
    }

    /// <summary>
    /// Makes this host one node of a cluster (ARCHITECTURE.md, "More than one machine"): shard leases in the shared
    /// PostgreSQL store, commands for other nodes' shards and the committed events over RabbitMQ.
    /// </summary>
    public static IKefuBuilder UseRabbitMqCluster(IKefuBuilder kefu, StorageOptions storage, RabbitMqOptions rabbitMq)
    {
        ArgumentNullException.ThrowIfNull(kefu);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(rabbitMq);
        if (storage.Provider != StorageProvider.PostgreSql)
        {
            throw new KefuValidationException("Kefu:Storage:Provider", "PostgreSql when Kefu:RabbitMq:Enabled is true (the nodes share its shard leases)");
        }

        if (string.IsNullOrWhiteSpace(rabbitMq.ConnectionString))
        {
            throw new KefuValidationException("Kefu:RabbitMq:ConnectionString", "an amqp:// or amqps:// URI when Kefu:RabbitMq:Enabled is true");
        }

        return kefu
            .UseCluster(o =>
            {
                if (!string.IsNullOrWhiteSpace(rabbitMq.NodeName))
                {
                    o.NodeName = rabbitMq.NodeName;
                }
            })
            .UseRabbitMq(o =>
            {
                o.Uri = rabbitMq.ConnectionString;
                o.Prefix = rabbitMq.Prefix;
            });
    }

    /// <summary>Maps the API, the WebSockets, OpenAPI and the health endpoints.</summary>
    public static WebApplication MapKefuHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            // Nothing the host sends is to be sniffed into HTML, and no page of another site may frame it.
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<AntiforgeryMiddleware>();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

        var api = app.MapGroup("/api/v1");
        api.MapAuthApi();
        api.MapOrganisationApi();
        api.MapDirectoryApi();
        api.MapSettingsApi();
        api.MapRoutingApi();
        api.MapRobotsApi();
        api.MapSensitiveWordsApi();
        api.MapWorkbenchApi();
        api.MapHistoryApi();
        api.MapVisitorApi();
        api.MapReportsApi();
        api.MapVoiceApi();
        api.MapQualityApi();
        api.MapUploadsApi();
        app.MapRealTime();
        return app;
    }

    /// <summary>Seeds the demo tenant when enabled and the store has no tenant.</summary>
    public static async Task SeedDemoIfEmptyAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<KefuHostOptions>>().Value;
        if (options.SeedDemo)
        {
            await DemoSeeder.SeedIfEmptyAsync(app.Services, app.Configuration, app.Logger);
        }
    }

    /// <summary>Prints the addresses and the demo sign-ins.</summary>
    public static void PrintWelcome(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var urls = app.Urls.Count > 0 ? app.Urls : ["http://localhost:5000"];
        var first = urls.First();
        Console.WriteLine();
        Console.WriteLine("Kefu reference host is running.");
        Console.WriteLine($"  Store:        {storage.Provider} ({(storage.Provider == StorageProvider.Sqlite ? Path.GetFullPath(storage.ConnectionString.Replace("Data Source=", string.Empty, StringComparison.OrdinalIgnoreCase).Split(';')[0]) : "configured connection")})");
        foreach (var url in urls)
        {
            Console.WriteLine($"  API:          {url}/api/v1   (OpenAPI: {url}/openapi/v1.json)");
        }

        Console.WriteLine($"  WebSockets:   {first.Replace("http", "ws", StringComparison.Ordinal)}/ws/agent  and  /ws/visitor");
        Console.WriteLine($"  Health:       {first}/health/live  {first}/health/ready");
        Console.WriteLine("  Demo sign-ins (POST /api/v1/auth/login with tenantId, account, password):");
        foreach (var line in DemoSeeder.Logins(app.Services))
        {
            Console.WriteLine("    " + line);
        }

        Console.WriteLine();
    }
}

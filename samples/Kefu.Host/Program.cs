using Kefu.Host;

// The Kefu reference host: every engine on SQLite (or PostgreSQL), minimal APIs under /api/v1, WebSockets at
// /ws/agent and /ws/visitor, OpenAPI at /openapi/v1.json. See README.md and PROTOCOL.md.
var builder = WebApplication.CreateBuilder(HostSetup.Arguments(args));
builder.AddKefuHost();
var app = builder.Build();
app.MapKefuHost();
await app.SeedDemoIfEmptyAsync();
app.Lifetime.ApplicationStarted.Register(() => app.PrintWelcome());
await app.RunAsync();

/// <summary>The host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;

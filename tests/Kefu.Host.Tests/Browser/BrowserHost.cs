using Microsoft.Playwright;

namespace Kefu.Host.Tests.Browser;

/// <summary>The browser tests share one host and one chromium.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "browser";
}

/// <summary>
/// The host in process on a real loopback port (Kestrel, the in-memory store) and Debian's chromium driven by
/// Microsoft.Playwright. Nothing is downloaded: the browser is <c>/usr/bin/chromium</c> (or <c>KEFU_CHROMIUM</c>),
/// which <c>./test.sh</c> installs when it is missing.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The in-process host: <see cref="HostFactory.Kefu"/> and <see cref="HostFactory.CreateTenantAsync"/> prepare data.</summary>
    public HostFactory Factory { get; } = new();

    /// <summary>The host's address, e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser host is not started.");

    /// <summary>Where the screenshots of failed steps are kept.</summary>
    public static string ScreenshotDirectory { get; } =
        Environment.GetEnvironmentVariable("KEFU_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The chromium executable.</summary>
    public static string ChromiumPath { get; } =
        Environment.GetEnvironmentVariable("KEFU_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need chromium at {ChromiumPath} (./test.sh installs Debian's 'chromium'; KEFU_CHROMIUM names another).");
        }

        Factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>
    /// A new browser context (its own cookies and storage) with one page. <paramref name="mobile"/> gives a 375 × 667
    /// touch screen (the H5 widget); otherwise a 1366 × 860 desktop.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(string name, bool mobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = mobile ? new ViewportSize { Width = 375, Height = 667 } : new ViewportSize { Width = 1366, Height = 860 },
            IsMobile = mobile,
            HasTouch = mobile,
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(name, context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>One user's browser: a context and its page. A failing step keeps a screenshot of the page.</summary>
public sealed class BrowserSession(string name, IBrowserContext context, IPage page) : IAsyncDisposable
{
    private int _step;

    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>The context (its cookies and storage).</summary>
    public IBrowserContext Context { get; } = context;

    /// <summary>
    /// Runs one step of a scenario. When it throws, a full-page screenshot is saved as
    /// <c>{session}-{n}-{step}.png</c> under <see cref="BrowserHost.ScreenshotDirectory"/> and the failure names it.
    /// </summary>
    public async Task StepAsync(string step, Func<IPage, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var number = Interlocked.Increment(ref _step);
        try
        {
            await action(Page);
        }
        catch (Exception ex)
        {
            var file = Path.Combine(BrowserHost.ScreenshotDirectory, $"{Safe(name)}-{number:00}-{Safe(step)}.png");
            try
            {
                Directory.CreateDirectory(BrowserHost.ScreenshotDirectory);
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            }
            catch (PlaywrightException)
            {
                file = "(no screenshot: the page is gone)";
            }

            throw new StepFailedException($"{name}: step {number} '{step}' failed; screenshot {file}", ex);
        }
    }

    private static string Safe(string text) => string.Concat(text.Select(c => char.IsLetterOrDigit(c) ? c : '-'));

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}

/// <summary>A browser step failed; the message names the screenshot.</summary>
public sealed class StepFailedException(string message, Exception inner) : Exception(message, inner);

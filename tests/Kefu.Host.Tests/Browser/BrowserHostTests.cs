using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kefu.Host.Tests.Browser;

/// <summary>The browser fixture itself: the host answers chromium on a loopback port and the pages load their scripts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserHostTests(BrowserHost host)
{
    [Fact]
    public async Task LandingPage_LoadsInChromium_FromTheHostsOwnPort_WithoutAnythingFromOutside()
    {
        await using var session = await host.OpenAsync("landing");
        var outside = new List<string>();
        session.Page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(host.BaseUrl, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                outside.Add(request.Url);
            }
        };

        await session.StepAsync("open the landing page", async page =>
        {
            var response = await page.GotoAsync("/");
            Assert.Equal(200, response!.Status);
            await Expect(page.Locator("body")).ToContainTextAsync("Kefu");
        });

        Assert.StartsWith("http://127.0.0.1:", host.BaseUrl, StringComparison.Ordinal);
        Assert.Empty(outside);
    }

    [Fact]
    public async Task FailingStep_KeepsAScreenshot_AndNamesIt()
    {
        await using var session = await host.OpenAsync("screenshot");
        await session.Page.GotoAsync("/");

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => session.StepAsync("a step that fails", _ => throw new InvalidOperationException("on purpose")));

        var file = failed.Message[(failed.Message.IndexOf("screenshot ", StringComparison.Ordinal) + "screenshot ".Length)..];
        Assert.True(File.Exists(file), file);
        Assert.True(new FileInfo(file).Length > 1000);
        Assert.IsType<InvalidOperationException>(failed.InnerException);
        File.Delete(file);
    }
}

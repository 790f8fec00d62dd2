using Kefu.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Adapters.Webhooks.Delivery;

/// <summary>
/// At the host's start, resumes the deliveries an earlier run left queued (in the background: the start does not wait for
/// the store reads). Off with <see cref="WebhookOptions.ResumeOnStart"/>.
/// </summary>
internal sealed class WebhookResumeService(IDirectoryStore directory, WebhookDispatcher dispatcher, IOptions<WebhookOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ResumeOnStart)
        {
            _ = Task.Run(() => dispatcher.ResumeAllAsync(directory), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

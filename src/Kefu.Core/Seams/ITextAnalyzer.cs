using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analysis;

/// <summary>
/// The text-analysis seam: gives each visitor and agent text message a sentiment, stored with the message and
/// carried on its event for reports and quality inspection. Called inside the tenant's worker; must be fast.
/// Kefu.Analytics implements it; Core's default is <see cref="NoTextAnalyzer"/>.
/// </summary>
public interface ITextAnalyzer
{
    /// <summary>False when the analyser does nothing, so the engine can skip the call.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Loads what the analyser needs for a tenant (a model trained on the tenant's own data): called when the
    /// tenant's worker loads, before any message.
    /// </summary>
    ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The sentiment of a message's text, or null when it cannot tell.</summary>
    TextSentiment? Analyze(long tenantId, ParticipantKind sender, string text);
}

/// <summary>Core's default: no analysis; messages carry no sentiment.</summary>
public sealed class NoTextAnalyzer : ITextAnalyzer
{
    /// <inheritdoc />
    public bool IsEnabled => false;

    /// <inheritdoc />
    public TextSentiment? Analyze(long tenantId, ParticipantKind sender, string text) => null;
}

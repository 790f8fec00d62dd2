using System.Collections.Concurrent;
using System.Text.Json;
using Kefu.Events;
using Kefu.Storage;

namespace Kefu.Moderation;

/// <summary>What a tenant's filter does with a message containing a listed word (M1–M3; E17 1.9: one mode at a time).</summary>
public enum SensitiveWordMode
{
    /// <summary>No filtering.</summary>
    Off,
    /// <summary>The message is withheld and the sender told why (M1).</summary>
    Block,
    /// <summary>An agent's message is delivered and the agent gets the reminder text (M2); visitors' messages pass.</summary>
    Remind,
    /// <summary>The message is delivered with every character of every match replaced by <c>*</c> (M3).</summary>
    Mask,
}

/// <summary>A tenant's sensitive-word configuration (M1–M5), stored as one configuration document.</summary>
public sealed record SensitiveWordSettings
{
    /// <summary>The most words a tenant's list (or allow-list) holds.</summary>
    public const int MaxWords = 200_000;

    /// <summary>The longest word, in characters.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The filter's mode. <value>Default <see cref="SensitiveWordMode.Off"/>.</value></summary>
    public SensitiveWordMode Mode { get; init; }

    /// <summary>What a blocked message's sender is told. <value>1–200 characters.</value></summary>
    public string BlockNotice { get; init; } = "消息包含敏感词，未能发送。";

    /// <summary>The reminder an agent receives in remind mode (set by the tenant, E17 1.9). <value>1–200 characters.</value></summary>
    public string ReminderText { get; init; } = "您发送的消息包含敏感词，请注意用语。";

    /// <summary>How the list sees text (M5).</summary>
    public SensitiveWordNormalization Normalization { get; init; } = SensitiveWordNormalization.Default;

    /// <summary>The listed words with their categories. <value>At most 200,000, each 1–100 characters.</value></summary>
    public IReadOnlyList<SensitiveWord> Words { get; init; } = [];

    /// <summary>Words that contain a listed word but are fine (an occurrence inside one is not a match). <value>At most 200,000.</value></summary>
    public IReadOnlyList<string> AllowList { get; init; } = [];

    /// <summary>Throws <see cref="KefuValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new KefuValidationException(nameof(Mode), "Off, Block, Remind or Mask");
        }

        Guard.Length(BlockNotice, 1, 200, nameof(BlockNotice));
        Guard.Length(ReminderText, 1, 200, nameof(ReminderText));
        ArgumentNullException.ThrowIfNull(Normalization);
        Normalization.Validate();
        Guard.Range(Words?.Count ?? -1, 0, MaxWords, "Words.Count");
        Guard.Range(AllowList?.Count ?? -1, 0, MaxWords, "AllowList.Count");
        foreach (var word in Words!)
        {
            Guard.Length(word.Word, 1, MaxWordLength, "Words[].Word");
            Guard.Length(word.Category ?? string.Empty, 0, 50, "Words[].Category");
        }

        foreach (var word in AllowList!)
        {
            Guard.Length(word, 1, MaxWordLength, "AllowList[]");
        }
    }
}

/// <summary>A tenant's sensitive-word configuration and its administration (M4): lists, allow-list, mode, hot reload.</summary>
public interface ISensitiveWords
{
    /// <summary>The tenant's configuration (the default, mode off, when none was saved).</summary>
    ValueTask<SensitiveWordSettings> GetAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and compiles the configuration off the message path, stores it, then swaps it in atomically: messages
    /// being filtered meanwhile use the previous list, never half of either. On any error nothing changes.
    /// </summary>
    ValueTask<SensitiveWordSettings> SaveAsync(long tenantId, SensitiveWordSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the words of a text file (one a line, optional <c>word&lt;TAB&gt;category</c>) to the tenant's list, or
    /// replaces the list with them; saved as <see cref="SaveAsync"/> does. Returns the new configuration.
    /// </summary>
    ValueTask<SensitiveWordSettings> ImportAsync(long tenantId, TextReader words, string defaultCategory = "", bool replace = false, CancellationToken cancellationToken = default);

    /// <summary>The tenant's compiled list as messages see it now, or null when the tenant's filter is off or not loaded.</summary>
    SensitiveWordMatcher? GetMatcher(long tenantId);
}

/// <summary>
/// The sensitive-word filter (M1–M6) on Core's message-filter seam, and the administration of its per-tenant lists.
/// Each tenant's compiled list is an immutable snapshot read with one volatile load per message; saving a list
/// compiles the new one on the caller's thread and replaces the reference, so readers never block or wait.
/// Register with <c>services.AddKefu().UseSensitiveWords()</c>.
/// </summary>
public sealed class SensitiveWordFilter : IMessageFilter, ISensitiveWords
{
    /// <summary>The configuration document that holds a tenant's settings.</summary>
    public const string DocumentKind = "moderation";

    /// <summary>The configuration document's key.</summary>
    public const string DocumentKey = "sensitive-words";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConfigurationDocumentStore _documents;
    private readonly IDirectoryStore _directory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, Snapshot> _tenants = new();
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _writers = new();

    /// <summary>Creates the filter over the configuration store.</summary>
    public SensitiveWordFilter(IConfigurationDocumentStore documents, IDirectoryStore directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        _documents = documents;
        _directory = directory;
        _time = time;
    }

    /// <inheritdoc />
    public MessageFilterResult Inspect(long tenantId, ParticipantKind sender, string text)
    {
        if (!_tenants.TryGetValue(tenantId, out var snapshot) || snapshot.Matcher is not { } matcher)
        {
            return MessageFilterResult.Allowed;
        }

        var settings = snapshot.Settings;
        if (settings.Mode == SensitiveWordMode.Remind && sender != ParticipantKind.Agent)
        {
            return MessageFilterResult.Allowed;
        }

        // One pass: a message without a match allocates nothing here; one with matches is masked from them.
        var matches = matcher.FindAll(text);
        if (matches.Count == 0)
        {
            return MessageFilterResult.Allowed;
        }

        var words = matches.Select(m => m.Word).Distinct(StringComparer.Ordinal).ToArray();
        return settings.Mode switch
        {
            SensitiveWordMode.Block => new MessageFilterResult(MessageFilterAction.Block, Notice: settings.BlockNotice, Words: words),
            SensitiveWordMode.Remind => new MessageFilterResult(MessageFilterAction.Remind, Notice: settings.ReminderText, Words: words),
            SensitiveWordMode.Mask => new MessageFilterResult(MessageFilterAction.Mask, Text: SensitiveWordMatcher.Mask(text, matches), Words: words),
            _ => MessageFilterResult.Allowed,
        };
    }

    /// <summary>Loads and compiles the tenant's saved list when its worker starts, before it filters any message.</summary>
    public async ValueTask LoadTenantAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        var document = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
        var settings = document is null ? new SensitiveWordSettings() : Deserialize(document.Content);
        _tenants[tenantId] = Snapshot.Compile(settings);
    }

    /// <inheritdoc />
    public async ValueTask<SensitiveWordSettings> GetAsync(long tenantId, CancellationToken cancellationToken = default)
    {
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var document = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
        return document is null ? new SensitiveWordSettings() : Deserialize(document.Content);
    }

    /// <inheritdoc />
    public async ValueTask<SensitiveWordSettings> SaveAsync(long tenantId, SensitiveWordSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        await RequireTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var gate = _writers.GetOrAdd(tenantId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var compiled = Snapshot.Compile(settings);
            var current = await _documents.GetAsync(tenantId, DocumentKind, DocumentKey, cancellationToken).ConfigureAwait(false);
            await _documents.PutAsync(tenantId, DocumentKind, DocumentKey, JsonSerializer.Serialize(settings, Json),
                current?.Version ?? 0, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _tenants[tenantId] = compiled;
            return settings;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<SensitiveWordSettings> ImportAsync(long tenantId, TextReader words, string defaultCategory = "", bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        var imported = SensitiveWordFile.Parse(words, defaultCategory);
        var current = await GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var merged = replace ? imported : [.. current.Words, .. imported];
        return await SaveAsync(tenantId, current with { Words = [.. merged.DistinctBy(w => w.Word, StringComparer.Ordinal)] }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public SensitiveWordMatcher? GetMatcher(long tenantId) => _tenants.TryGetValue(tenantId, out var snapshot) ? snapshot.Matcher : null;

    private async ValueTask RequireTenantAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await _directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }
    }

    private static SensitiveWordSettings Deserialize(string content) =>
        JsonSerializer.Deserialize<SensitiveWordSettings>(content, Json) ?? new SensitiveWordSettings();

    /// <summary>A tenant's settings with the list compiled (null when the mode is off or the list empty).</summary>
    private sealed record Snapshot(SensitiveWordSettings Settings, SensitiveWordMatcher? Matcher)
    {
        public static Snapshot Compile(SensitiveWordSettings settings) =>
            new(settings, settings.Mode == SensitiveWordMode.Off || settings.Words.Count == 0
                ? null
                : SensitiveWordMatcher.Compile(settings.Words, settings.Normalization, settings.AllowList));
    }
}

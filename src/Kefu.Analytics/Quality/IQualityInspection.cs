using Kefu.Storage;

namespace Kefu.Analytics.Quality;

/// <summary>
/// Quality inspection (智能质检, E17 1.11): checks the messages of visitors and agents, the rating and the timings of each
/// conversation against the tenant's <see cref="QualityRules"/>, scores it, and flags it (有问题) with the reasons for
/// the inspection detail page. A conversation is inspected when it closes, and again when a rating arrives after the
/// close; each inspection replaces the conversation's previous result.
/// </summary>
/// <remarks>
/// Results are kept in the configuration document store, one document kind per UTC day of the conversation's creation
/// (<c>analytics.inspection.yyyy-MM-dd</c>, key the conversation id), so a list over a date range reads only those days;
/// the rules are kind <c>analytics.quality</c>, key <c>rules</c>.
/// </remarks>
public interface IQualityInspection
{
    /// <summary>The tenant's rules; the defaults, with <see cref="QualityRules.Version"/> 0, when it never saved any.</summary>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    ValueTask<QualityRules> GetRulesAsync(long tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the tenant's rules, with <see cref="QualityRules.Version"/> the version read (0 when saving over the
    /// defaults), and returns them as stored (word lists trimmed and without repeats) with the new version. Results
    /// already stored are not changed; inspect a conversation again with <see cref="InspectAsync"/> to apply new rules.
    /// </summary>
    /// <exception cref="KefuValidationException">A field is out of its range (the exception names the field and the range); nothing is stored.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the rules changed since they were read; nothing is stored.</exception>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    ValueTask<QualityRules> SetRulesAsync(long tenantId, QualityRules rules, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inspects a conversation now with the tenant's current rules, stores the result in place of any earlier one, and
    /// returns it. An open conversation is inspected as it stands (and again when it closes).
    /// </summary>
    /// <exception cref="KefuNotFoundException">The conversation does not exist in the tenant.</exception>
    ValueTask<InspectionResult> InspectAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>The stored result of a conversation, or null when it was not inspected (or does not exist).</summary>
    ValueTask<InspectionResult?> GetResultAsync(long tenantId, long conversationId, CancellationToken cancellationToken = default);

    /// <summary>Stored results of conversations created in [<see cref="InspectionQuery.From"/>, <see cref="InspectionQuery.To"/>), newest conversation first.</summary>
    /// <exception cref="KefuValidationException">The range is reversed or longer than <see cref="QualityInspectionOptions.MaxListDays"/>, or the paging is out of range.</exception>
    /// <exception cref="KefuNotFoundException">The tenant does not exist.</exception>
    ValueTask<Page<InspectionResult>> ListAsync(long tenantId, InspectionQuery query, CancellationToken cancellationToken = default);
}

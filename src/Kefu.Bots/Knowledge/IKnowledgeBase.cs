using Kefu.Bots.Matching;
using Kefu.Storage;

namespace Kefu.Bots;

/// <summary>
/// Administers a robot's knowledge rules (B3): add, change, delete, list, import and export them, and preview what the
/// robot would answer. Every change is validated first (a refusal is a <see cref="KefuValidationException"/> naming
/// the field, such as <c>Questions[3]</c> or <c>Answer.Text</c>) and leaves the stored rules unchanged. A change
/// schedules a rebuild of the robot's index in the background: the robot answers from its previous index until the
/// new one is swapped in, a moment later.
/// </summary>
public interface IKnowledgeBase
{
    /// <summary>
    /// Adds a rule to a robot and returns it with its new id and version 1. Questions are trimmed and blank ones
    /// dropped; the draft's <see cref="KnowledgeRule.RobotId"/> must be 0 or <paramref name="robotId"/>.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuValidationException">A field is out of range (see <see cref="KnowledgeRule"/> and <see cref="KnowledgeAnswer"/>).</exception>
    ValueTask<KnowledgeRule> AddRuleAsync(long tenantId, long robotId, KnowledgeRule draft, CancellationToken cancellationToken = default);

    /// <summary>A rule of any robot of the tenant.</summary>
    /// <exception cref="KefuNotFoundException">The tenant or the rule does not exist.</exception>
    ValueTask<KnowledgeRule> GetRuleAsync(long tenantId, long ruleId, CancellationToken cancellationToken = default);

    /// <summary>A page of a robot's rules that match <paramref name="query"/>, by id.</summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuValidationException">The query's offset or limit is out of range.</exception>
    ValueTask<Page<KnowledgeRule>> ListRulesAsync(long tenantId, long robotId, KnowledgeQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the rule <paramref name="rule"/> names by its id (it stays with its robot). <see cref="KnowledgeRule.Version"/>
    /// must be the version read; returns the rule with its new version.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant or the rule does not exist.</exception>
    /// <exception cref="KefuValidationException">A field is out of range.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the rule changed since it was read.</exception>
    ValueTask<KnowledgeRule> UpdateRuleAsync(long tenantId, KnowledgeRule rule, CancellationToken cancellationToken = default);

    /// <summary>Deletes a rule. Menu items that named it then ask their own text as a question.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="ruleId">The rule.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KefuNotFoundException">The tenant or the rule does not exist.</exception>
    /// <exception cref="KefuException">Of kind <see cref="KefuErrorKind.Concurrency"/> when the rule changed since it was read.</exception>
    ValueTask DeleteRuleAsync(long tenantId, long ruleId, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the robot's current index finds for <paramref name="question"/>: up to <paramref name="max"/> (1–10)
    /// candidates, most confident first. An administrator's preview; it does not count as a visitor's question.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    /// <exception cref="KefuValidationException"><paramref name="max"/> is out of range.</exception>
    ValueTask<KnowledgeMatch> MatchAsync(long tenantId, long robotId, string question, int max = 3, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports a robot's rules from a CSV (UTF-8, RFC 4180) or xlsx (the first worksheet; shared and inline strings)
    /// file, all or nothing.
    /// </summary>
    /// <remarks>
    /// <para>The first row is a header naming the columns, in any order and any case:
    /// <c>id,questions,answer,answer_kind,menu_id,media_url,media_name,keywords,category,enabled</c>. <c>questions</c>
    /// is required; the other columns may be left out (then every row takes their default); unknown columns are
    /// ignored. Each following row is one rule:</para>
    /// <list type="bullet">
    /// <item><c>id</c>: empty to add a rule; the id of one of this robot's rules to replace that rule; any other id
    /// adds a new rule (with a new id), so a file exported from another robot or tenant imports as new rules.</item>
    /// <item><c>questions</c>: the question and its variants, one per line inside the cell; a cell without line breaks
    /// may separate them with <c>|</c> instead.</item>
    /// <item><c>answer</c>: the answer's text (required for text answers).</item>
    /// <item><c>answer_kind</c>: <c>text</c>, <c>menu</c> or <c>media</c>; empty for <c>text</c>.</item>
    /// <item><c>menu_id</c>: for <c>menu</c>, the id of one of the robot's menus.</item>
    /// <item><c>media_url</c>, <c>media_name</c>: for <c>media</c>, the attachment's address and file name.</item>
    /// <item><c>keywords</c>: keyword entries (words joined by <c>+</c>), one per line; a cell without line breaks may
    /// separate them with <c>;</c> instead.</item>
    /// <item><c>category</c>: optional.</item>
    /// <item><c>enabled</c>: <c>true</c> or <c>false</c>; empty for <c>true</c>.</item>
    /// </list>
    /// <para>Every row is validated before anything is written. When any row is refused, nothing is written and
    /// <see cref="ImportResult.Errors"/> lists every refused row (the row number as a spreadsheet shows it, the header
    /// being row 1; the column; why). Otherwise the rows are written and, with <see cref="ImportMode.Replace"/>, the
    /// robot's rules the file does not name are deleted. <see cref="ExportAsync"/> writes this layout, so an export
    /// imports back unchanged.</para>
    /// </remarks>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    ValueTask<ImportResult> ImportAsync(long tenantId, long robotId, Stream content, KnowledgeFileFormat format, ImportMode mode = ImportMode.Append,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a robot's rules, by id, in the layout <see cref="ImportAsync"/> reads (CSV is UTF-8 with a byte order
    /// mark, so spreadsheet programs read Chinese correctly). The media's size and content type are not exported.
    /// </summary>
    /// <exception cref="KefuNotFoundException">The tenant or the robot does not exist.</exception>
    ValueTask ExportAsync(long tenantId, long robotId, Stream destination, KnowledgeFileFormat format, CancellationToken cancellationToken = default);
}

/// <summary>Filters a robot's knowledge rules; every filter is optional.</summary>
public sealed record KnowledgeQuery
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;

    /// <summary>Part of any question or of the answer's text, case-insensitive.</summary>
    public string? Search { get; init; }

    /// <summary>The category, case-insensitive.</summary>
    public string? Category { get; init; }

    /// <summary>Rules to skip, 0 or more.</summary>
    public int Offset { get; init; }

    /// <summary>Page size. <value>Default 50; 1–500.</value></summary>
    public int Limit { get; init; } = 50;
}

/// <summary>The file formats of knowledge import and export.</summary>
public enum KnowledgeFileFormat
{
    /// <summary>Comma-separated values (RFC 4180), UTF-8.</summary>
    Csv,

    /// <summary>An Office Open XML workbook (.xlsx).</summary>
    Xlsx,
}

/// <summary>What an import does with the robot's rules the file does not name.</summary>
public enum ImportMode
{
    /// <summary>Keeps them.</summary>
    Append,

    /// <summary>Deletes them (only when every row of the file is valid).</summary>
    Replace,
}

/// <summary>A refused row of an import.</summary>
/// <param name="Row">
/// The row (the header is row 1): in xlsx the sheet's row number; in CSV the record's number, blank lines not counted;
/// 0 when the file as a whole cannot be read.
/// </param>
/// <param name="Field">The column (<c>questions</c>, <c>answer</c> …), or <c>file</c> for the file as a whole.</param>
/// <param name="Message">Why the row was refused.</param>
public sealed record ImportError(int Row, string Field, string Message);

/// <summary>What an import did.</summary>
/// <param name="Added">Rules added.</param>
/// <param name="Updated">Rules replaced.</param>
/// <param name="Errors">The refused rows; when there are any, nothing was written.</param>
public sealed record ImportResult(int Added, int Updated, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Rules deleted because the file did not name them (<see cref="ImportMode.Replace"/>).</summary>
    public int Deleted { get; init; }

    /// <summary>Whether the file was imported (no row was refused).</summary>
    public bool Succeeded => Errors.Count == 0;
}

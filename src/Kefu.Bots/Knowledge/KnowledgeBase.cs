using System.Text;
using Kefu.Bots.Matching;
using Kefu.Storage;

namespace Kefu.Bots.Knowledge;

/// <summary>
/// The default <see cref="IKnowledgeBase"/>: validates, writes the rules' documents, then updates the
/// <see cref="BotCatalog"/> (which schedules the robot's rebuild), all under the tenant's write lock.
/// </summary>
internal sealed class KnowledgeBase(
    BotCatalog catalog, IConfigurationDocumentStore documents, IDirectoryStore directory, IKefuIdGenerator ids, TimeProvider time) : IKnowledgeBase
{
    private const string RuleEntity = "KnowledgeRule";

    public async ValueTask<KnowledgeRule> AddRuleAsync(long tenantId, long robotId, KnowledgeRule draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            var robot = Robot(tenantId, robotId);
            SameRobot(draft.RobotId, robotId);
            var rule = KnowledgeRuleValidator.Validate(draft, robot) with { Id = ids.NextId(time.GetUtcNow()) };
            rule = await PutAsync(tenantId, rule, 0, cancellationToken).ConfigureAwait(false);
            catalog.ApplyRules(tenantId, robotId, [rule], []);
            return rule;
        }
    }

    public async ValueTask<KnowledgeRule> GetRuleAsync(long tenantId, long ruleId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return catalog.TryGetRule(tenantId, ruleId, out var rule) ? rule : throw new KefuNotFoundException(RuleEntity, ruleId);
    }

    public async ValueTask<Page<KnowledgeRule>> ListRulesAsync(long tenantId, long robotId, KnowledgeQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new KnowledgeQuery();
        if (query.Offset < 0)
        {
            throw new KefuValidationException(nameof(KnowledgeQuery.Offset), "0 or more", $"was {query.Offset}");
        }

        if (query.Limit is < 1 or > KnowledgeQuery.MaxLimit)
        {
            throw new KefuValidationException(nameof(KnowledgeQuery.Limit), $"between 1 and {KnowledgeQuery.MaxLimit}", $"was {query.Limit}");
        }

        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        Robot(tenantId, robotId);
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        var category = string.IsNullOrWhiteSpace(query.Category) ? null : query.Category.Trim();
        var matching = catalog.RulesOf(tenantId, robotId).Where(r =>
            (category is null || string.Equals(r.Category, category, StringComparison.OrdinalIgnoreCase))
            && (search is null || r.Questions.Any(q => q.Contains(search, StringComparison.OrdinalIgnoreCase))
                || (r.Answer.Text?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false))).ToList();
        return new Page<KnowledgeRule>([.. matching.Skip(query.Offset).Take(query.Limit)], matching.Count, query.Offset);
    }

    public async ValueTask<KnowledgeRule> UpdateRuleAsync(long tenantId, KnowledgeRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            var current = Current(tenantId, rule.Id, rule.Version);
            SameRobot(rule.RobotId, current.RobotId);
            var robot = Robot(tenantId, current.RobotId);
            var updated = KnowledgeRuleValidator.Validate(rule, robot);
            updated = await PutAsync(tenantId, updated, current.Version, cancellationToken).ConfigureAwait(false);
            catalog.ApplyRules(tenantId, current.RobotId, [updated], []);
            return updated;
        }
    }

    public async ValueTask DeleteRuleAsync(long tenantId, long ruleId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            var current = Current(tenantId, ruleId, expectedVersion);
            var deleted = await documents.DeleteAsync(tenantId, BotDocuments.RuleKind, BotDocuments.Key(ruleId), expectedVersion, cancellationToken).ConfigureAwait(false);
            catalog.ApplyRules(tenantId, current.RobotId, [], [ruleId]);
            if (!deleted)
            {
                throw new KefuNotFoundException(RuleEntity, ruleId);
            }
        }
    }

    public async ValueTask<KnowledgeMatch> MatchAsync(long tenantId, long robotId, string question, int max = 3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        Robot(tenantId, robotId);
        return catalog.IndexOf(tenantId, robotId).Match(question, max);
    }

    public async ValueTask<ImportResult> ImportAsync(long tenantId, long robotId, Stream content, KnowledgeFileFormat format, ImportMode mode = ImportMode.Append,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        Defined(format, nameof(format), "Csv or Xlsx");
        Defined(mode, nameof(mode), "Append or Replace");
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        Robot(tenantId, robotId);

        // Read whole with asynchronous I/O first (request bodies refuse synchronous reads), then parse in memory.
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        List<(int Row, string[] Cells)> rows;
        try
        {
            rows = KnowledgeFileReader.Read(buffer, format);
        }
        catch (InvalidDataException ex)
        {
            return new ImportResult(0, 0, [new ImportError(0, KnowledgeFile.File, ex.Message)]);
        }

        if (rows.Count == 0)
        {
            return new ImportResult(0, 0, [new ImportError(1, KnowledgeFile.File, $"The file is empty: it needs a header row ({string.Join(',', KnowledgeFile.Columns)}).")]);
        }

        if (KnowledgeFile.ReadHeader(rows[0].Cells, out var headerError) is not { } columns)
        {
            return new ImportResult(0, 0, [new ImportError(rows[0].Row, KnowledgeFile.File, headerError!)]);
        }

        using (await catalog.LockAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            var robot = Robot(tenantId, robotId);
            var existing = catalog.RulesOf(tenantId, robotId).ToDictionary(r => r.Id);
            var plan = Plan(rows.Skip(1), columns, robot, existing, out var errors);
            if (errors.Count > 0)
            {
                return new ImportResult(0, 0, errors);
            }

            var named = plan.Where(p => p.Current is not null).Select(p => p.Current!.Id).ToHashSet();
            var obsolete = mode == ImportMode.Replace ? existing.Values.Where(r => !named.Contains(r.Id)).ToList() : [];
            var written = new List<KnowledgeRule>(plan.Count);
            var removed = new List<long>(obsolete.Count);
            int added = 0, updated = 0;
            try
            {
                foreach (var (rule, current) in plan)
                {
                    if (current is null)
                    {
                        written.Add(await PutAsync(tenantId, rule with { Id = ids.NextId(time.GetUtcNow()) }, 0, cancellationToken).ConfigureAwait(false));
                        added++;
                    }
                    else
                    {
                        written.Add(await PutAsync(tenantId, rule, current.Version, cancellationToken).ConfigureAwait(false));
                        updated++;
                    }
                }

                foreach (var rule in obsolete)
                {
                    await documents.DeleteAsync(tenantId, BotDocuments.RuleKind, BotDocuments.Key(rule.Id), rule.Version, cancellationToken).ConfigureAwait(false);
                    removed.Add(rule.Id);
                }
            }
            finally
            {
                // Whatever was written is what the catalog must show, even when a write failed half-way.
                catalog.ApplyRules(tenantId, robotId, written, removed);
            }

            return new ImportResult(added, updated, []) { Deleted = removed.Count };
        }
    }

    public async ValueTask ExportAsync(long tenantId, long robotId, Stream destination, KnowledgeFileFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Defined(format, nameof(format), "Csv or Xlsx");
        await LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        Robot(tenantId, robotId);
        var rows = catalog.RulesOf(tenantId, robotId).Select(KnowledgeFile.ToRow).Prepend([.. KnowledgeFile.Columns]);
        using var buffer = new MemoryStream();
        if (format == KnowledgeFileFormat.Xlsx)
        {
            Xlsx.Write(buffer, "Knowledge", rows.ToList());
        }
        else
        {
            using var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
            foreach (var row in rows)
            {
                Csv.WriteRow(writer, row);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and validates every row: a rule to add (no current rule) or to replace (its current rule). Fills
    /// <paramref name="errors"/> with every refused row.
    /// </summary>
    private static List<(KnowledgeRule Rule, KnowledgeRule? Current)> Plan(IEnumerable<(int Row, string[] Cells)> rows, Dictionary<string, int> columns,
        Robot robot, Dictionary<long, KnowledgeRule> existing, out List<ImportError> errors)
    {
        errors = [];
        var plan = new List<(KnowledgeRule, KnowledgeRule?)>();
        var seen = new Dictionary<long, int>();
        foreach (var (row, cells) in rows)
        {
            var draft = KnowledgeFile.ReadRow(cells, columns, out var id, out var problem);
            if (problem is { } p)
            {
                errors.Add(new ImportError(row, p.Column, $"{p.Column} {p.Message}."));
                continue;
            }

            if (draft is null)
            {
                continue;
            }

            if (id is { } named && !seen.TryAdd(named, row))
            {
                errors.Add(new ImportError(row, KnowledgeFile.Id, $"id {named} is already used by row {seen[named]}: each rule once in a file."));
                continue;
            }

            var current = id is { } ruleId ? existing.GetValueOrDefault(ruleId) : null;
            if (current?.Answer.Media is { } media && draft.Answer.Media is { } imported && imported.Url == media.Url)
            {
                // The file has no columns for them: keep what the rule knew of the same attachment.
                draft = draft with { Answer = draft.Answer with { Media = imported with { Size = media.Size, ContentType = media.ContentType } } };
            }

            try
            {
                var rule = KnowledgeRuleValidator.Validate(draft, robot);
                plan.Add((current is null ? rule : rule with { Id = current.Id, Version = current.Version }, current));
            }
            catch (KefuValidationException ex)
            {
                errors.Add(new ImportError(row, KnowledgeFile.ColumnOf(ex.Field), ex.Message));
            }
        }

        return plan;
    }

    private async ValueTask<KnowledgeRule> PutAsync(long tenantId, KnowledgeRule rule, long expectedVersion, CancellationToken cancellationToken)
    {
        var document = await documents.PutAsync(tenantId, BotDocuments.RuleKind, BotDocuments.Key(rule.Id), BotDocuments.Serialize(rule), expectedVersion,
            time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return rule with { Version = document.Version };
    }

    private Robot Robot(long tenantId, long robotId) =>
        catalog.TryGetRobot(tenantId, robotId, out var robot) ? robot : throw new KefuNotFoundException("Robot", robotId);

    /// <summary>The rule as the catalog has it, checked against the version the caller read.</summary>
    private KnowledgeRule Current(long tenantId, long ruleId, long expectedVersion)
    {
        if (!catalog.TryGetRule(tenantId, ruleId, out var current))
        {
            throw new KefuNotFoundException(RuleEntity, ruleId);
        }

        return current.Version == expectedVersion
            ? current
            : throw new KefuException(KefuErrorKind.Concurrency, $"Knowledge rule {ruleId} is at version {current.Version}, not {expectedVersion}: read it again.");
    }

    private static void SameRobot(long given, long robotId)
    {
        if (given != 0 && given != robotId)
        {
            throw new KefuValidationException(nameof(KnowledgeRule.RobotId), $"0 or {robotId} (a rule stays with its robot)", $"was {given}");
        }
    }

    private static void Defined<TEnum>(TEnum value, string field, string allowed) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new KefuValidationException(field, allowed, $"was {value}");
        }
    }

    private async ValueTask LoadAsync(long tenantId, CancellationToken cancellationToken)
    {
        if (await directory.GetTenantAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KefuNotFoundException("Tenant", tenantId);
        }

        await catalog.LoadTenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
    }
}

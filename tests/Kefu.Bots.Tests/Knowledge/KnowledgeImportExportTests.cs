using System.IO.Compression;
using System.Text;
using Kefu.Bots.Matching;
using Kefu.Model;

namespace Kefu.Bots.Tests.Knowledge;

public sealed class KnowledgeImportExportTests
{
    private const string Header = "id,questions,answer,answer_kind,menu_id,media_url,media_name,keywords,category,enabled";

    /// <summary>Rules whose cells need quoting, escaping or splitting care in both formats.</summary>
    private static IEnumerable<KnowledgeRule> TrickyRules() =>
    [
        new KnowledgeRule
        {
            Questions = ["Where is my parcel, please?", "快递\"到哪\"了", "  It's \"late\", isn't it  "],
            Answer = KnowledgeAnswer.FromText("Line one,\r\nline \"two\"\nline three\rand a lone CR"),
            Keywords = ["快递+到哪", "parcel+where"],
            Category = "Orders, late",
        },
        new KnowledgeRule
        {
            Questions = ["A|B, which one?"],
            Answer = KnowledgeAnswer.FromText("=SUM(1,2) is not a formula; _x0041_ is not an escape; \u0001 is a control character; 👍"),
            Keywords = ["refund;fast"],
        },
        new KnowledgeRule
        {
            Questions = ["My order"],
            Answer = new KnowledgeAnswer(AnswerKind.Menu, null, MenuId: 2),
            Enabled = false,
        },
        new KnowledgeRule
        {
            Questions = ["Size chart", "尺码表"],
            Answer = new KnowledgeAnswer(AnswerKind.Media, "Here it is:", Media: new MediaAttachment("https://cdn.example.test/size chart.png?a=1,b=2", "size, chart.png", 0, null)),
            Category = "尺码",
        },
    ];

    /// <summary>Everything the file carries of a rule, comparable across robots.</summary>
    private static string Carried(KnowledgeRule r) => string.Join("\u241E",
        string.Join("\u241F", r.Questions), r.Answer.Kind, r.Answer.Text, r.Answer.MenuId, r.Answer.Media?.Url, r.Answer.Media?.Name,
        string.Join("\u241F", r.Keywords), r.Category, r.Enabled);

    private static async Task<Robot> RobotWithTrickyRulesAsync(KnowledgeFixture f, string name = "Shop assistant")
    {
        var robot = await f.CreateRobotAsync(name);
        foreach (var rule in TrickyRules())
        {
            await f.Knowledge.AddRuleAsync(f.TenantId, robot.Id, rule);
        }

        return robot;
    }

    private static async Task<byte[]> ExportAsync(KnowledgeFixture f, long robotId, KnowledgeFileFormat format)
    {
        using var file = new MemoryStream();
        await f.Knowledge.ExportAsync(f.TenantId, robotId, file, format);
        return file.ToArray();
    }

    private static async Task<ImportResult> ImportAsync(KnowledgeFixture f, long robotId, byte[] file, KnowledgeFileFormat format, ImportMode mode = ImportMode.Append)
    {
        using var stream = new MemoryStream(file);
        return await f.Knowledge.ImportAsync(f.TenantId, robotId, stream, format, mode);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData(KnowledgeFileFormat.Csv)]
    [InlineData(KnowledgeFileFormat.Xlsx)]
    public async Task Export_ThenImport_RoundTripsEveryCell(KnowledgeFileFormat format)
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var source = await RobotWithTrickyRulesAsync(f);
        var target = await f.CreateRobotAsync("Copy");
        var expected = f.Catalog.RulesOf(f.TenantId, source.Id).Select(Carried).ToList();

        var file = await ExportAsync(f, source.Id, format);
        var copied = await ImportAsync(f, target.Id, file, format);
        var again = await ImportAsync(f, source.Id, file, format);

        Assert.Equal(new ImportResult(4, 0, []), copied with { Errors = [] });
        Assert.Empty(copied.Errors);
        Assert.Equal(expected, f.Catalog.RulesOf(f.TenantId, target.Id).Select(Carried));
        Assert.Equal((0, 4, 0), (again.Added, again.Updated, again.Errors.Count));
        var reimported = f.Catalog.RulesOf(f.TenantId, source.Id);
        Assert.Equal(expected, reimported.Select(Carried));
        Assert.All(reimported, r => Assert.Equal(2, r.Version));
        await f.WhenIndexedAsync(target.Id);
        var copy = f.Catalog.RulesOf(f.TenantId, target.Id).Single(r => r.Title == "尺码表" || r.Questions.Contains("尺码表"));
        Assert.Equal(copy.Id, (await f.MatchAsync(target.Id, "尺码表")).BestRuleId);
    }

    [Fact]
    public async Task CsvExport_IsUtf8WithABom_AndTheDocumentedHeader()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await RobotWithTrickyRulesAsync(f);

        var file = await ExportAsync(f, robot.Id, KnowledgeFileFormat.Csv);

        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), file[..3]);
        var text = Encoding.UTF8.GetString(file, 3, file.Length - 3);
        Assert.StartsWith(Header + "\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"Line one,\r\nline \"\"two\"\"\nline three\rand a lone CR\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task XlsxExport_IsAWorkbookOfInlineStrings()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await RobotWithTrickyRulesAsync(f);

        var file = await ExportAsync(f, robot.Id, KnowledgeFileFormat.Xlsx);

        using var zip = new ZipArchive(new MemoryStream(file));
        Assert.Equal(["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var xml = await sheet.ReadToEndAsync();
        Assert.Contains("t=\"inlineStr\"", xml, StringComparison.Ordinal);
        Assert.Contains("_x005F_x0041_", xml, StringComparison.Ordinal);
        Assert.Contains("_x0001_", xml, StringComparison.Ordinal);
        Assert.Contains("&#xD;", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ReadsBarAndSemicolonSeparators_AndLineBreaksInCells()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var csv = "questions,answer,keywords,category,answer_kind,enabled\r\n"
            + "Where is my parcel?|Where's my order? | ,\"Usually 3 days,\r\nsometimes 5.\",parcel+where;order+late,Orders,,\r\n"
            + "\"How long does a refund take?\r\nRefund time\",3 to 5 days,\"refund+days\nrefund+long\",,TEXT,FALSE\r\n";

        var result = await ImportAsync(f, robot.Id, Utf8(csv), KnowledgeFileFormat.Csv);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Added);
        var rules = f.Catalog.RulesOf(f.TenantId, robot.Id);
        Assert.Equal(["Where is my parcel?", "Where's my order?"], rules[0].Questions);
        Assert.Equal("Usually 3 days,\r\nsometimes 5.", rules[0].Answer.Text);
        Assert.Equal(["parcel+where", "order+late"], rules[0].Keywords);
        Assert.Equal(("Orders", true), (rules[0].Category, rules[0].Enabled));
        Assert.Equal(["How long does a refund take?", "Refund time"], rules[1].Questions);
        Assert.Equal(["refund+days", "refund+long"], rules[1].Keywords);
        Assert.Equal((AnswerKind.Text, (string?)null, false), (rules[1].Answer.Kind, rules[1].Category, rules[1].Enabled));
    }

    [Theory]
    [InlineData(ImportMode.Append)]
    [InlineData(ImportMode.Replace)]
    public async Task Import_WithAnyBadRow_WritesNothing_AndReportsEveryBadRow(ImportMode mode)
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        await f.AddRuleAsync(robot.Id, "Opening hours?");
        await f.WhenIndexedAsync(robot.Id);
        var stored = await f.StoredAsync();
        var index = f.Catalog.IndexOf(f.TenantId, robot.Id);
        var csv = string.Join("\r\n",
            Header,
            ",Is this fine?,Yes,,,,,,,",
            ",  ,No questions,,,,,,,",
            ",Video?,x,video,,,,,,",
            ",Menu?,,menu,9,,,,,",
            ",Enabled?,x,,,,,,,maybe",
            $"{parcel.Id},Where is my parcel now?,Here,,,,,,,",
            $"{parcel.Id},Twice?,Again,,,,,,,",
            ",Empty answer?,,text,,,,,,",
            "abc,Bad id?,x,,,,,,,",
            ",Media?,,media,,https://x.test/a.png,,,,",
            $",Long?,{new string('x', 5001)},,,,,,,") + "\r\n";

        var result = await ImportAsync(f, robot.Id, Utf8(csv), KnowledgeFileFormat.Csv, mode);

        Assert.Equal((0, 0, 0), (result.Added, result.Updated, result.Deleted));
        Assert.False(result.Succeeded);
        Assert.Equal(
            [(3, "questions"), (4, "answer_kind"), (5, "menu_id"), (6, "enabled"), (8, "id"), (9, "answer"), (10, "id"), (11, "media_name"), (12, "answer")],
            result.Errors.Select(e => (e.Row, e.Field)));
        Assert.Contains("Questions must be 1–200 questions", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("text, menu or media", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("Answer.MenuId must be the id of one of the robot's menus (1, 2)", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("already used by row 7", result.Errors[4].Message, StringComparison.Ordinal);
        Assert.Equal(stored, await f.StoredAsync());
        Assert.Same(index, f.Catalog.IndexOf(f.TenantId, robot.Id));
        Assert.Equal(["Where is my parcel?"], (await f.Knowledge.GetRuleAsync(f.TenantId, parcel.Id)).Questions);
    }

    [Fact]
    public async Task Replace_UpdatesNamedRules_AddsNewOnes_AndDeletesTheRest()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var other = await f.CreateRobotAsync("Other");
        var parcel = await f.AddRuleAsync(robot.Id, "Where is my parcel?");
        var refund = await f.AddRuleAsync(robot.Id, "How long does a refund take?");
        var hours = await f.AddRuleAsync(robot.Id, "Opening hours?");
        var elsewhere = await f.AddRuleAsync(other.Id, "Somewhere else");
        await f.WhenIndexedAsync(robot.Id);
        var csv = $"{Header}\r\n{parcel.Id},Where is my parcel now?,On its way,,,,,,,\r\n,Do you ship abroad?,Yes,,,,,,,\r\n";

        var result = await ImportAsync(f, robot.Id, Utf8(csv), KnowledgeFileFormat.Csv, ImportMode.Replace);
        await f.WhenIndexedAsync(robot.Id);

        Assert.Equal((1, 1, 2, true), (result.Added, result.Updated, result.Deleted, result.Succeeded));
        var rules = f.Catalog.RulesOf(f.TenantId, robot.Id);
        Assert.Equal(2, rules.Count);
        Assert.Equal((parcel.Id, 2L, "On its way"), (rules[0].Id, rules[0].Version, rules[0].Answer.Text));
        Assert.Equal(["Do you ship abroad?"], rules[1].Questions);
        await Assert.ThrowsAsync<KefuNotFoundException>(async () => await f.Knowledge.GetRuleAsync(f.TenantId, refund.Id));
        Assert.Null(await f.Documents.GetAsync(f.TenantId, "bots.rule", hours.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(elsewhere.Id, (await f.Knowledge.GetRuleAsync(f.TenantId, elsewhere.Id)).Id);
        Assert.DoesNotContain((await f.MatchAsync(robot.Id, "How long does a refund take?")).Candidates, c => c.RuleId == refund.Id);
        Assert.Equal((MatchKind.Exact, rules[1].Id), ((await f.MatchAsync(robot.Id, "do you ship abroad")).Kind, (await f.MatchAsync(robot.Id, "do you ship abroad")).BestRuleId));
    }

    [Fact]
    public async Task Import_OfAnIdFromAnotherRobot_AddsANewRule()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var other = await f.CreateRobotAsync("Other");
        var theirs = await f.AddRuleAsync(other.Id, "Where is my parcel?");

        var result = await ImportAsync(f, robot.Id, Utf8($"{Header}\r\n{theirs.Id},Where is my parcel?,Mine now,,,,,,,\r\n"), KnowledgeFileFormat.Csv);

        Assert.Equal((1, 0), (result.Added, result.Updated));
        var added = Assert.Single(f.Catalog.RulesOf(f.TenantId, robot.Id));
        Assert.NotEqual(theirs.Id, added.Id);
        Assert.Equal((other.Id, 1L, "Answer: Where is my parcel?"), (theirs.RobotId, (await f.Knowledge.GetRuleAsync(f.TenantId, theirs.Id)).Version, theirs.Answer.Text));
    }

    [Fact]
    public async Task Import_OfAFileThatCannotBeRead_ReportsTheFile()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();

        var noQuestions = await ImportAsync(f, robot.Id, Utf8("id,answer\r\n,hello\r\n"), KnowledgeFileFormat.Csv);
        var empty = await ImportAsync(f, robot.Id, [], KnowledgeFileFormat.Csv);
        var notUtf8 = await ImportAsync(f, robot.Id, [0x71, 0x75, 0x65, 0x73, 0x74, 0x69, 0x6F, 0x6E, 0x73, 0x0D, 0x0A, 0xC3, 0x28], KnowledgeFileFormat.Csv);
        var notXlsx = await ImportAsync(f, robot.Id, Utf8(Header), KnowledgeFileFormat.Xlsx);
        var headerOnly = await ImportAsync(f, robot.Id, Utf8(Header + "\r\n"), KnowledgeFileFormat.Csv);

        Assert.Equal((1, "file"), (Assert.Single(noQuestions.Errors).Row, noQuestions.Errors[0].Field));
        Assert.Contains("'questions'", noQuestions.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal((1, "file"), (Assert.Single(empty.Errors).Row, empty.Errors[0].Field));
        Assert.Equal((0, "file"), (Assert.Single(notUtf8.Errors).Row, notUtf8.Errors[0].Field));
        Assert.Equal((0, "file"), (Assert.Single(notXlsx.Errors).Row, notXlsx.Errors[0].Field));
        Assert.Equal(new ImportResult(0, 0, []).Succeeded, headerOnly.Succeeded);
        Assert.Equal((0, 0), (headerOnly.Added, headerOnly.Updated));
        Assert.Empty(f.Catalog.RulesOf(f.TenantId, robot.Id));
    }

    [Fact]
    public async Task Xlsx_WithSharedStringsRichTextAndTypedCells_IsRead()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var workbook = Workbook(
            shared:
            [
                "<si><t>questions</t></si>",
                "<si><t>answer</t></si>",
                "<si><t>answer_kind</t></si>",
                "<si><t>menu_id</t></si>",
                "<si><t>enabled</t></si>",
                "<si><r><t xml:space=\"preserve\">Where is </t></r><r><rPr><b/></rPr><t>my parcel?</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>",
                "<si><t>MENU</t></si>",
                "<si><t>notes</t></si>",
            ],
            rows:
            [
                // Header in another order, with an unknown column, all shared strings.
                "<row r=\"1\"><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>7</v></c></row>",
                "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>5</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>On its way,\nin 2 days</t></is></c><c r=\"E2\" t=\"b\"><v>0</v></c><c r=\"F2\" t=\"inlineStr\"><is><t>ignored</t></is></c></row>",
                "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>My </t></r><r><t>order</t></r></is></c><c r=\"B4\" t=\"str\"><f>CONCAT(\"Pick \",\"one\")</f><v>Pick one</v></c><c r=\"C4\" t=\"s\"><v>6</v></c><c r=\"D4\"><v>2</v></c></row>",
            ]);

        var result = await ImportAsync(f, robot.Id, workbook, KnowledgeFileFormat.Xlsx);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Added);
        var rules = f.Catalog.RulesOf(f.TenantId, robot.Id);
        Assert.Equal(["Where is my parcel?"], rules[0].Questions);
        Assert.Equal(("On its way,\nin 2 days", AnswerKind.Text, false), (rules[0].Answer.Text, rules[0].Answer.Kind, rules[0].Enabled));
        Assert.Equal(["My order"], rules[1].Questions);
        Assert.Equal(new KnowledgeAnswer(AnswerKind.Menu, "Pick one", 2), rules[1].Answer);
        Assert.True(rules[1].Enabled);
    }

    [Fact]
    public async Task Xlsx_ErrorsName_TheSheetsRowNumbers()
    {
        await using var f = await KnowledgeFixture.StartAsync();
        var robot = await f.CreateRobotAsync();
        var workbook = Workbook(
            shared: ["<si><t>questions</t></si>", "<si><t>answer</t></si>"],
            rows:
            [
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>",
                "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Fine</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>Yes</t></is></c></row>",
                "<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><t>No answer</t></is></c></row>",
            ]);

        var result = await ImportAsync(f, robot.Id, workbook, KnowledgeFileFormat.Xlsx);

        Assert.Equal((7, "answer"), (Assert.Single(result.Errors).Row, result.Errors[0].Field));
        Assert.Empty(f.Catalog.RulesOf(f.TenantId, robot.Id));
    }

    /// <summary>
    /// A workbook as another program writes it: the first sheet (listed first, stored second) is found through the
    /// relationships, strings are shared.
    /// </summary>
    private static byte[] Workbook(IEnumerable<string> shared, IEnumerable<string> rows)
    {
        const string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add("_rels/.rels", $"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>");
            Add("xl/workbook.xml", $"<workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Rules\" sheetId=\"2\" r:id=\"rId7\"/><sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Add("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + $"<Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + $"<Relationship Id=\"rId7\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                + $"<Relationship Id=\"rId9\" Type=\"{rel}/sharedStrings\" Target=\"strings.xml\"/></Relationships>");
            Add("xl/strings.xml", $"<sst xmlns=\"{main}\">{string.Concat(shared)}</sst>");
            Add("xl/worksheets/sheet1.xml", $"<worksheet xmlns=\"{main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>");
            Add("xl/worksheets/sheet2.xml", $"<worksheet xmlns=\"{main}\"><sheetData>{string.Concat(rows)}</sheetData></worksheet>");

            void Add(string path, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path).Open(), new UTF8Encoding(false));
                writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" + xml);
            }
        }

        return file.ToArray();
    }
}

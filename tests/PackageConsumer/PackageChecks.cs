using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Xml.Linq;

/// <summary>
/// Checks the contents of every .nupkg in the folder named by the KEFU_PACKAGES_DIR environment variable before the
/// embedding example (Program.cs, taken from README.md) runs: each package must carry README.md, an XML
/// documentation file beside each of its assemblies under lib/net10.0/, and a licence expression in its nuspec.
/// It runs as a module initializer because Program.cs is not ours to edit; on a failure it exits with code 1.
/// </summary>
internal static class PackageChecks
{
    private const string TargetFrameworkFolder = "lib/net10.0/";

    [ModuleInitializer]
    internal static void Run()
    {
        var folder = Environment.GetEnvironmentVariable("KEFU_PACKAGES_DIR");
        if (string.IsNullOrEmpty(folder))
        {
            Console.WriteLine("package contents: not checked (KEFU_PACKAGES_DIR is not set)");
            return;
        }

        var packages = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.nupkg").Order(StringComparer.Ordinal).ToArray()
            : [];
        var problems = new List<string>();
        if (packages.Length == 0)
        {
            problems.Add($"no .nupkg in {folder}");
        }

        foreach (var path in packages)
        {
            var name = Path.GetFileName(path);
            try
            {
                foreach (var problem in Check(path))
                {
                    problems.Add($"{name}: {problem}");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                problems.Add($"{name}: cannot be read: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"package contents: FAILED: {problem}");
            }
            Environment.Exit(1);
        }
    }

    private static List<string> Check(string path)
    {
        var problems = new List<string>();
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);

        if (!entries.Contains("README.md"))
        {
            problems.Add("no README.md at the package root");
        }

        var assemblies = entries.Where(e => e.StartsWith(TargetFrameworkFolder, StringComparison.Ordinal)
                                            && e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).ToList();
        if (assemblies.Count == 0)
        {
            problems.Add($"no assembly under {TargetFrameworkFolder}");
        }
        var docs = new List<string>();
        foreach (var assembly in assemblies)
        {
            var doc = assembly[..^".dll".Length] + ".xml";
            if (entries.Contains(doc))
            {
                docs.Add(doc);
            }
            else
            {
                problems.Add($"no XML documentation file {doc} beside {assembly}");
            }
        }

        var nuspecEntry = zip.Entries.FirstOrDefault(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        var licence = "";
        if (nuspecEntry is null)
        {
            problems.Add("no .nuspec at the package root");
        }
        else
        {
            XDocument nuspec;
            using (var stream = nuspecEntry.Open())
            {
                nuspec = XDocument.Load(stream);
            }
            var metadata = nuspec.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata");
            var license = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
            licence = license?.Value.Trim() ?? "";
            if (license is null || (string?)license.Attribute("type") != "expression" || licence.Length == 0)
            {
                problems.Add("the nuspec has no <license type=\"expression\">");
            }
            var readme = metadata?.Elements().FirstOrDefault(e => e.Name.LocalName == "readme")?.Value.Trim().Replace('\\', '/');
            if (string.IsNullOrEmpty(readme))
            {
                problems.Add("the nuspec has no <readme>");
            }
            else if (!entries.Contains(readme))
            {
                problems.Add($"the nuspec's <readme> names {readme}, which the package does not hold");
            }
        }

        if (problems.Count == 0)
        {
            Console.WriteLine($"package contents: {Path.GetFileName(path)} OK (README.md, {string.Join(", ", docs)}, licence {licence})");
        }
        return problems;
    }
}

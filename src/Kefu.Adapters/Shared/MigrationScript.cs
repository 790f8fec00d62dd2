using System.Globalization;
using System.Reflection;

namespace Kefu.Adapters;

/// <summary>
/// One schema migration shipped in an adapter as an embedded <c>NNNN_name.sql</c> resource (compiled into each SQL
/// adapter, which may reference only Kefu.Core).
/// </summary>
/// <param name="Version">The schema version the script brings the database to.</param>
/// <param name="Name">The script's file name.</param>
/// <param name="Script">The SQL.</param>
internal sealed record MigrationScript(int Version, string Name, string Script)
{
    /// <summary>
    /// The adapter's migrations in version order, read from the resources of <paramref name="assembly"/> named
    /// <paramref name="resourcePrefix"/><c>NNNN_name.sql</c>; they must be numbered 1, 2, 3 … without gaps.
    /// </summary>
    public static IReadOnlyList<MigrationScript> Load(Assembly assembly, string resourcePrefix, string database)
    {
        var migrations = new List<MigrationScript>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(resourcePrefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var file = name[resourcePrefix.Length..];
            var digits = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!; // Listed by GetManifestResourceNames just above.
            using var reader = new StreamReader(stream);
            migrations.Add(new MigrationScript(version, file, reader.ReadToEnd()));
        }

        migrations.Sort(static (a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"{database} migrations must be numbered 1, 2, 3 … without gaps; found {migrations[i].Name} at position {i + 1}.");
            }
        }

        return migrations;
    }
}

namespace Kefu.Benchmarks.Data;

/// <summary>Finds the shared data sets: <c>../shared/data</c> beside the repository (the folder holding Kefu.sln).</summary>
internal static class SharedData
{
    /// <summary>The data folder; throws naming where it looked when it is missing.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(data)
                    ? data
                    : throw new DirectoryNotFoundException($"The shared data sets are expected at {data} (../shared/data beside the repository).");
            }
        }

        throw new DirectoryNotFoundException($"No Kefu.sln above {AppContext.BaseDirectory}: run the benchmarks from the repository.");
    }
}

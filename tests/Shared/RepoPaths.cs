namespace Personalize.Testing;

/// <summary>
/// Finds files of the repository from a test. Walks up from the test assembly to <c>Personalize.sln</c>;
/// <c>[CallerFilePath]</c> is no use here because CI builds map source paths to <c>/_/</c>.
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Personalize.sln")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException("Personalize.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A path below the repository root, from its parts.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}

namespace Personalize.Templates;

/// <summary>
/// Loads included templates from files under one root folder. Names are relative paths (<c>"partials/footer.html"</c>);
/// absolute paths and paths that leave the root (<c>".."</c>, symbolic tricks resolved by the OS path API) are refused.
/// </summary>
public sealed class FolderTemplateLoader : ITemplateLoader
{
    private readonly string _root;

    /// <summary>Creates a loader for <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">The folder that contains every includable template.</param>
    public FolderTemplateLoader(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory)) + Path.DirectorySeparatorChar;
    }

    /// <summary>Gets the full path of the root folder (ends with a directory separator).</summary>
    public string RootDirectory => _root;

    /// <inheritdoc />
    public bool TryLoad(string name, out string source)
    {
        source = string.Empty;
        if (!TryResolve(name, out var path) || !File.Exists(path))
        {
            return false;
        }

        source = File.ReadAllText(path);
        return true;
    }

    /// <summary>Maps a template name to a file path under the root.</summary>
    /// <param name="name">The template name.</param>
    /// <param name="fullPath">The full path when allowed.</param>
    /// <returns><see langword="false"/> when the name is empty, absolute or escapes the root.</returns>
    public bool TryResolve(string name, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Contains('\0', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var candidate = Path.GetFullPath(Path.Combine(_root, name));
        if (!candidate.StartsWith(_root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            return false;
        }

        fullPath = candidate;
        return true;
    }
}

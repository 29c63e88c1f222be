using System.Globalization;

namespace Personalize.Templates;

/// <summary>
/// Loads included templates from files under one root folder. Names are relative paths (<c>"partials/footer.html"</c>).
/// Absolute paths, paths that leave the root (<c>".."</c>) and paths whose real location (after following every symbolic
/// link, of a file or of a folder on the way) is outside the root are refused.
/// </summary>
/// <remarks>
/// <see cref="GetVersion"/> is the file's last write time and length, so an edited partial is parsed again on its next
/// include. A link swapped between the check and the read can still race; keep the root writable only by trusted users.
/// </remarks>
public sealed class FolderTemplateLoader : ITemplateLoader
{
    private const int MaxLinkHops = 40;

    private readonly string _root;
    private readonly string _realRoot;

    /// <summary>Creates a loader for <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">The folder that contains every includable template.</param>
    public FolderTemplateLoader(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        _root = WithSeparator(Path.GetFullPath(rootDirectory));
        _realRoot = WithSeparator(RealPath(Path.TrimEndingDirectorySeparator(_root)) ?? Path.TrimEndingDirectorySeparator(_root));
    }

    /// <summary>Gets the full path of the root folder (ends with a directory separator).</summary>
    public string RootDirectory => _root;

    private static StringComparison PathComparison => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

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

    /// <inheritdoc />
    public string? GetVersion(string name)
    {
        if (!TryResolve(name, out var path))
        {
            return null;
        }

        var file = new FileInfo(path);
        return file.Exists ? string.Create(CultureInfo.InvariantCulture, $"{file.LastWriteTimeUtc.Ticks}:{file.Length}:{path}") : null;
    }

    /// <summary>Maps a template name to the real path of a file under the root (symbolic links followed).</summary>
    /// <param name="name">The template name.</param>
    /// <param name="fullPath">The real full path when allowed.</param>
    /// <returns><see langword="false"/> when the name is empty, absolute, escapes the root, or leads outside it through a link.</returns>
    public bool TryResolve(string name, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || name.Contains('\0', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var candidate = Path.GetFullPath(Path.Combine(_root, name));
        if (!candidate.StartsWith(_root, PathComparison))
        {
            return false;
        }

        // The same path under the root's real location, then every link on the way followed: it must still be inside.
        var real = RealPath(_realRoot + candidate[_root.Length..]);
        if (real is null || !real.StartsWith(_realRoot, PathComparison))
        {
            return false;
        }

        fullPath = real;
        return true;
    }

    private static string WithSeparator(string path) => Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar;

    /// <summary>
    /// The path with every symbolic link followed, component by component (like POSIX <c>realpath</c>); components that do
    /// not exist are kept as they are. Null when links loop or chain more than <see cref="MaxLinkHops"/> times.
    /// </summary>
    private static string? RealPath(string fullPath)
    {
        var pending = new Stack<string>();
        var current = Path.GetPathRoot(fullPath)!;
        var initial = fullPath[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = initial.Length - 1; i >= 0; i--)
        {
            pending.Push(initial[i]);
        }

        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(current)) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // Continue with the link's target (relative to the link's folder) followed by what was left of the path.
            var resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            var root = Path.GetPathRoot(resolved)!;
            var parts = resolved[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                pending.Push(parts[i]);
            }

            current = root;
        }

        return current;
    }
}

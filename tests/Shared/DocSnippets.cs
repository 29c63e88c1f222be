namespace Personalize.Testing;

/// <summary>
/// Keeps the C# shown in the README and <c>docs/</c> identical to code a test compiles and runs. A test file marks the
/// shown lines with <c>// begin-snippet: NAME</c> and <c>// end-snippet</c>; the document must show exactly those lines
/// (unindented) in a <c>```csharp</c> block, optionally after <c>using</c> lines.
/// </summary>
internal static class DocSnippets
{
    /// <summary>A repository file's text with LF line ends, from a path such as <c>docs/liquid.md</c>.</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(RepoPaths.Combine(relativePath.Split('/'))).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The lines between the snippet's markers in a test source file, without their common indentation.</summary>
    public static string Extract(string sourcePath, string name)
    {
        var source = Read(sourcePath).Split('\n');
        var start = Array.FindIndex(source, l => l.Trim() == "// begin-snippet: " + name);
        var end = start < 0 ? -1 : Array.FindIndex(source, start + 1, l => l.Trim() == "// end-snippet");
        Assert.True(start >= 0 && end > start, $"{sourcePath} has no snippet '{name}' (// begin-snippet: {name} … // end-snippet).");

        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
    }

    /// <summary>Asserts that <paramref name="documentPath"/> shows the snippet as one whole <c>csharp</c> block.</summary>
    public static void AssertShown(string sourcePath, string name, string documentPath)
    {
        var snippet = Extract(sourcePath, name);
        var document = Read(documentPath);

        var at = document.IndexOf("\n" + snippet + "\n```", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{documentPath} does not show the snippet '{name}' of {sourcePath} as compiled; copy it from there.");

        var fence = document.LastIndexOf("```csharp\n", at + 1, StringComparison.Ordinal);
        Assert.True(fence >= 0, $"{documentPath}: the snippet '{name}' is not in a ```csharp block.");
        var before = document[(fence + "```csharp\n".Length)..(at + 1)];
        Assert.True(
            before.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(IsUsingDirective),
            $"{documentPath}: the ```csharp block of snippet '{name}' has lines before it that no test compiles.");
    }

    /// <summary>Every snippet marked in a test source file under <c>tests/</c>, by file and name.</summary>
    public static IEnumerable<(string Source, string Name)> All()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || file.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("// begin-snippet: ", StringComparison.Ordinal))
                {
                    yield return (Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/'), trimmed["// begin-snippet: ".Length..]);
                }
            }
        }
    }

    /// <summary>The body of every <c>```csharp</c> block of a document, without its leading <c>using</c> lines.</summary>
    public static IEnumerable<string> CSharpBlocks(string documentPath)
    {
        var document = Read(documentPath);
        var at = 0;
        while ((at = document.IndexOf("```csharp\n", at, StringComparison.Ordinal)) >= 0)
        {
            var start = at + "```csharp\n".Length;
            var end = document.IndexOf("\n```", start, StringComparison.Ordinal);
            var lines = document[start..end].Split('\n').SkipWhile(l => IsUsingDirective(l) || l.Length == 0);
            yield return string.Join("\n", lines);
            at = end;
        }
    }

    private static bool IsUsingDirective(string line) =>
        System.Text.RegularExpressions.Regex.IsMatch(line, @"^using (static )?[A-Za-z_][A-Za-z0-9_.]*( = [A-Za-z0-9_.<>]+)?;$");
}

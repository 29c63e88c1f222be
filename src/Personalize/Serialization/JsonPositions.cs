using System.Globalization;
using System.Text.Json;

namespace Personalize.Serialization;

/// <summary>
/// Finds where values named by JSON paths (<c>$.customers[3].timeZone</c>) are in a JSON text, as line and column, so
/// that errors found after parsing (by path) can point into the file. One pass over the text for any number of paths:
/// a file with 100,000 errors costs one read, not one per error.
/// </summary>
public static class JsonPositions
{
    /// <summary>
    /// Finds the line and column of each path: of the property name for an object member, of the value for the root
    /// and array items. A path that is not in the text (a missing member) gets the position of its nearest ancestor
    /// that is; a path without any is left out. Comments and trailing commas are allowed; reading stops at the first
    /// syntax error (the paths before it are found).
    /// </summary>
    /// <param name="utf8Json">The JSON text.</param>
    /// <param name="paths">JSON paths as the loaders write them: <c>$</c>, then <c>.name</c> per member and <c>[i]</c> per item.</param>
    /// <returns>The position of each path found, by path.</returns>
    public static IReadOnlyDictionary<string, JsonPosition> Find(ReadOnlySpan<byte> utf8Json, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var requested = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (string.IsNullOrEmpty(path) || !wanted.Add(path))
            {
                continue;
            }

            requested.Add(path);
            for (var parent = Parent(path); parent is not null && wanted.Add(parent); parent = Parent(parent))
            {
            }
        }

        var found = new Dictionary<string, JsonPosition>(StringComparer.Ordinal);
        if (requested.Count == 0)
        {
            return found;
        }

        Scan(utf8Json, wanted, found);
        var result = new Dictionary<string, JsonPosition>(requested.Count, StringComparer.Ordinal);
        foreach (var path in requested)
        {
            for (var at = path; at is not null; at = Parent(at))
            {
                if (found.TryGetValue(at, out var position))
                {
                    result[path] = position;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Parses a loader's file; on a syntax error, its first sentence and where it is (line and column).</summary>
    internal static JsonDocument? TryParse(ReadOnlySpan<byte> utf8Json, JsonDocumentOptions options, out string? error, out JsonPosition? where)
    {
        try
        {
            error = null;
            where = null;
            return JsonDocument.Parse(utf8Json.ToArray(), options);
        }
        catch (JsonException ex)
        {
            error = "is not valid JSON: " + ex.Message.Split(". ")[0];
            where = ex.LineNumber is { } line ? FromBytePosition(utf8Json, line, ex.BytePositionInLine ?? 0) : null;
            return null;
        }
    }

    /// <summary>A loader's errors in file order: each without a line gets its path's position (one pass over the file); the ones placed nowhere come last.</summary>
    internal static List<T> InFileOrder<T>(ReadOnlySpan<byte> utf8Json, List<T> errors, Func<T, string> pathOf, Func<T, int?> lineOf, Func<T, JsonPosition, T> place)
    {
        if (errors.Count == 0 || errors.All(e => lineOf(e) is not null))
        {
            return errors;
        }

        var positions = Find(utf8Json, errors.Where(e => lineOf(e) is null).Select(pathOf));
        return errors
            .Select(e => lineOf(e) is null && positions.TryGetValue(pathOf(e), out var at) ? place(e, at) : e)
            .Select((e, i) => (e, i))
            .OrderBy(p => lineOf(p.e) ?? int.MaxValue)
            .ThenBy(static p => p.i)
            .Select(static p => p.e)
            .ToList();
    }

    /// <summary>
    /// The line and column of a byte position as <see cref="JsonException"/> gives it (0-based line and byte in that
    /// line), counted in characters: in a minified file everything is on line 1, and the column is what finds the spot.
    /// </summary>
    /// <param name="utf8Json">The JSON text.</param>
    /// <param name="lineNumber">The 0-based line (<see cref="JsonException.LineNumber"/>).</param>
    /// <param name="bytePositionInLine">The 0-based byte in the line (<see cref="JsonException.BytePositionInLine"/>).</param>
    /// <returns>The 1-based line and column.</returns>
    public static JsonPosition FromBytePosition(ReadOnlySpan<byte> utf8Json, long lineNumber, long bytePositionInLine)
    {
        var start = 0;
        for (long line = 0; line < lineNumber; line++)
        {
            var next = utf8Json[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        var end = (int)Math.Min(utf8Json.Length, start + Math.Max(0, bytePositionInLine));
        return new JsonPosition(ToInt(lineNumber + 1), Characters(utf8Json[start..end]) + 1);
    }

    private static void Scan(ReadOnlySpan<byte> json, HashSet<string> wanted, Dictionary<string, JsonPosition> found)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 1024 });
        var frames = new List<Frame>();
        string? member = null;

        // The position of `done` bytes into the text, advanced as tokens come (linear in the text, even on one line).
        var done = 0;
        var line = 1;
        var column = 1;
        try
        {
            while (reader.Read())
            {
                string here;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        member = frames[^1].Path + "." + reader.GetString();
                        if (wanted.Contains(member))
                        {
                            Record(member, json, (int)reader.TokenStartIndex);
                        }

                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                }

                if (frames.Count == 0)
                {
                    here = "$";
                    if (wanted.Contains(here))
                    {
                        Record(here, json, (int)reader.TokenStartIndex);
                    }
                }
                else if (frames[^1].IsArray)
                {
                    var parent = frames[^1];
                    frames[^1] = parent with { Index = parent.Index + 1 };
                    here = parent.Path + "[" + parent.Index.ToString(CultureInfo.InvariantCulture) + "]";
                    if (wanted.Contains(here))
                    {
                        Record(here, json, (int)reader.TokenStartIndex);
                    }
                }
                else
                {
                    here = member!;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    // Every ancestor of a wanted path is wanted, so a container that is not wanted holds nothing wanted:
                    // skip it whole (no paths to build for its members).
                    if (frames.Count > 0 && !wanted.Contains(here))
                    {
                        reader.Skip();
                        continue;
                    }

                    frames.Add(new Frame(here, reader.TokenType == JsonTokenType.StartArray, 0));
                }

                if (found.Count == wanted.Count)
                {
                    return;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error: the paths before it are found; the loader reports the error itself.
        }

        void Record(string path, ReadOnlySpan<byte> text, int index)
        {
            for (; done < index && done < text.Length; done++)
            {
                var b = text[done];
                if (b == (byte)'\n')
                {
                    line++;
                    column = 1;
                }
                else if ((b & 0xC0) != 0x80)
                {
                    column++; // a character starts here (UTF-8 continuation bytes do not count)
                }
            }

            found.TryAdd(path, new JsonPosition(line, column));
        }
    }

    private static string? Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut >= 1 ? path[..cut] : path == "$" ? null : "$";
    }

    private static int Characters(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private static int ToInt(long value) => value > int.MaxValue ? int.MaxValue : (int)value;

    private readonly record struct Frame(string Path, bool IsArray, int Index);
}

/// <summary>A place in a text file: 1-based line and 1-based column (in characters).</summary>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column, counted in characters (a UTF-8 sequence is one).</param>
public readonly record struct JsonPosition(int Line, int Column)
{
    /// <summary>Formats the position as <c>line 3, column 17</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => "line " + Line.ToString(CultureInfo.InvariantCulture) + ", column " + Column.ToString(CultureInfo.InvariantCulture);
}

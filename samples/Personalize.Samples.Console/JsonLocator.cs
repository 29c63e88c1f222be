using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Personalize.Samples.ConsoleHost;

/// <summary>Finds the line of a JSON path (<c>$.customers[3].timeZone</c>) in a file, so errors can name file and line.</summary>
internal static class JsonLocator
{
    public static int? LineOf(byte[] json, string path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var paths = new Stack<(string Path, bool IsArray, int Index)>();
            string? pending = null;
            while (reader.Read())
            {
                string? here = null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = paths.Peek().Path + "." + reader.GetString();
                        if (pending == path)
                        {
                            return LineAt(json, reader.TokenStartIndex);
                        }

                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        paths.Pop();
                        continue;
                }

                if (paths.Count == 0)
                {
                    here = "$";
                }
                else if (paths.Peek().IsArray)
                {
                    var (parent, _, index) = paths.Pop();
                    paths.Push((parent, true, index + 1));
                    here = parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
                }
                else
                {
                    here = pending ?? paths.Peek().Path;
                }

                if (here == path)
                {
                    return LineAt(json, reader.TokenStartIndex);
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    paths.Push((here, reader.TokenType == JsonTokenType.StartArray, 0));
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        // A path to a missing member: report the nearest existing parent.
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut > 1 ? LineOf(json, path[..cut]) : null;
    }

    private static int LineAt(byte[] json, long index)
    {
        var line = 1;
        for (var i = 0; i < index && i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }

    public static string Describe(string file, byte[] json, string path, string message)
    {
        // A syntax error already names its own line; the path only says where the reader was.
        var line = message.Contains("(line ", StringComparison.Ordinal) ? null : LineOf(json, path);
        var builder = new StringBuilder(file);
        if (line is { } l)
        {
            builder.Append(" line ").Append(l.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append(": ").Append(path).Append(": ").Append(message).ToString();
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Personalize.Events;

/// <summary>One line of an events file: the event, or why the line is not one.</summary>
/// <param name="Line">The line number (1 for the first line).</param>
/// <param name="Event">The event, or <see langword="null"/> when the line is bad.</param>
/// <param name="Code">Why the line is bad (<see cref="EventCodes.InvalidJson"/>, <see cref="EventCodes.LineTooLong"/>, <see cref="EventCodes.InvalidFields"/>), or <see langword="null"/>.</param>
/// <param name="Error">What is wrong with the line and how to fix it, or <see langword="null"/>.</param>
public sealed record EventLine(long Line, CustomerEvent? Event, string? Code, string? Error)
{
    internal static EventLine Bad(long line, string code, string error) => new(line, null, code, error);
}

/// <summary>
/// Reads events from JSON Lines: one JSON object per line with <c>id</c>, <c>type</c>, <c>customerId</c>,
/// <c>occurredAt</c> (ISO 8601 with an offset) and an optional <c>data</c> object. Blank lines are skipped; a bad line
/// is reported with its number and the reading goes on (see <c>docs/events.md</c>).
/// </summary>
public static class EventJsonLines
{
    /// <summary>The longest line read, in bytes (a longer one is reported, not read).</summary>
    public const int MaxLineBytes = 64 * 1024;

    private static readonly string TooLong = $"the line is longer than {MaxLineBytes} bytes; keep an event's data small (send a reference, not the content).";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every line of a stream (UTF-8; a byte order mark at the start is skipped).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>Each non-blank line as an event or an error, in order; a line that is not UTF-8 or too long is an error and reading goes on.</returns>
    public static async IAsyncEnumerable<EventLine> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[MaxLineBytes + 1];
        int start = 0, end = 0;
        long number = 0;
        var skipping = false; // inside a line longer than the limit, up to its end
        var atEof = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0 && !atEof)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    // No line end within the limit: report the line once, then skip its bytes.
                    if (!skipping)
                    {
                        number++;
                        skipping = true;
                        yield return EventLine.Bad(number, EventCodes.LineTooLong, TooLong);
                    }

                    end = 0;
                    continue;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    atEof = true;
                }

                end += read;
                continue;
            }

            var lineEnd = newline < 0 ? end : newline;
            if (skipping)
            {
                skipping = false;
            }
            else if (lineEnd > start || newline >= 0)
            {
                number++;
                var length = lineEnd - start;
                if (length > 0 && buffer[lineEnd - 1] == (byte)'\r')
                {
                    length--;
                }

                var offset = number == 1 && length >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF ? 3 : 0;
                string? text = null, notUtf8 = null;
                try
                {
                    text = Utf8.GetString(buffer, start + offset, length - offset);
                }
                catch (DecoderFallbackException ex)
                {
                    notUtf8 = $"the line is not valid UTF-8 (at byte {ex.Index + 1}); save the file as UTF-8.";
                }

                if (notUtf8 is not null)
                {
                    yield return EventLine.Bad(number, EventCodes.InvalidJson, notUtf8);
                }
                else if (!string.IsNullOrWhiteSpace(text))
                {
                    yield return Parse(number, text);
                }
            }

            if (newline < 0)
            {
                yield break;
            }

            start = newline + 1;
        }
    }

    /// <summary>Parses one line.</summary>
    /// <param name="line">Its number.</param>
    /// <param name="text">Its text.</param>
    /// <returns>The event or the error.</returns>
    public static EventLine Parse(long line, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) > MaxLineBytes)
        {
            return EventLine.Bad(line, EventCodes.LineTooLong, TooLong);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return EventLine.Bad(line, EventCodes.InvalidJson, $"not valid JSON at column {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message.Split([" Path:", " LineNumber:"], 2, StringSplitOptions.None)[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return EventLine.Bad(line, EventCodes.InvalidJson, "an event is a JSON object: {\"id\":…,\"type\":…,\"customerId\":…,\"occurredAt\":…,\"data\":{…}}.");
            }

            string? Text(string name, out string? problem)
            {
                problem = null;
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    problem = $"'{name}' is missing";
                    return null;
                }

                if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    problem = $"'{name}' must be a non-empty string";
                    return null;
                }

                return value.GetString();
            }

            var problems = new List<string>();
            var id = Text("id", out var p1);
            var type = Text("type", out var p2);
            var customer = Text("customerId", out var p3);
            var at = Text("occurredAt", out var p4);
            foreach (var p in new[] { p1, p2, p3, p4 })
            {
                if (p is not null)
                {
                    problems.Add(p);
                }
            }

            var occurred = default(DateTimeOffset);
            if (at is not null && !(DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out occurred) && HasOffset(at)))
            {
                problems.Add($"'occurredAt' \"{at}\" is not an ISO 8601 instant with an offset (for example 2026-03-15T09:30:00Z)");
            }

            var data = default(JsonElement);
            if (root.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null)
            {
                if (d.ValueKind != JsonValueKind.Object)
                {
                    problems.Add("'data' must be a JSON object");
                }
                else
                {
                    data = d.Clone();
                }
            }

            if (problems.Count > 0)
            {
                return EventLine.Bad(line, EventCodes.InvalidFields, string.Join("; ", problems) + ".");
            }

            return new EventLine(line, new CustomerEvent { Id = id!, Type = type!, CustomerId = customer!, OccurredAt = occurred, Data = data }, null, null);
        }
    }

    private static bool HasOffset(string text)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        return t > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.IndexOf('+', t) > 0 || text.IndexOf('-', t) > 0);
    }
}

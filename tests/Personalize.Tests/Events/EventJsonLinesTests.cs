using System.Text;
using Personalize.Events;

namespace Personalize.Tests.Events;

public sealed class EventJsonLinesTests
{
    [Fact]
    public async Task Every_bad_line_is_reported_with_its_number_and_the_good_ones_are_read()
    {
        var text = string.Join("\n",
            """{"id":"e-1","type":"order_shipped","customerId":"c-001","occurredAt":"2026-03-15T09:30:00Z","data":{"order_number":"A-1"}}""",
            "",
            """{"id":"e-2","type":"login","customerId":"c-001","occurredAt":"2026-03-15T09:30:00"}""",
            """{"id":"e-3","type":"login","customerId":"c-001","occurredAt":"2026-03-15T09:30:00+13:00","data":[1]}""",
            """{"id":"e-4","type":"login"  """,
            """["not","an","object"]""",
            """{"type":"login","customerId":"","occurredAt":"2026-03-15T09:30:00Z"}""",
            """{"id":"e-5","type":"visit","customerId":"c-002","occurredAt":"2026-03-15T22:30:00+13:00"}""");

        var lines = new List<EventLine>();
        await foreach (var line in EventJsonLines.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
        {
            lines.Add(line);
        }

        Assert.Equal([1L, 3, 4, 5, 6, 7, 8], lines.Select(l => l.Line));
        Assert.Equal("A-1", lines[0].Event!.Text("order_number"));
        Assert.Contains("'occurredAt' \"2026-03-15T09:30:00\" is not an ISO 8601 instant with an offset", lines[1].Error, StringComparison.Ordinal);
        Assert.Contains("'data' must be a JSON object", lines[2].Error, StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON at column", lines[3].Error, StringComparison.Ordinal);
        Assert.StartsWith("an event is a JSON object", lines[4].Error, StringComparison.Ordinal);
        Assert.Equal("'id' is missing; 'customerId' must be a non-empty string.", lines[5].Error);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero), lines[6].Event!.OccurredAt);
        Assert.Equal([null, EventCodes.InvalidFields, EventCodes.InvalidFields, EventCodes.InvalidJson, EventCodes.InvalidJson, EventCodes.InvalidFields, null], lines.Select(l => l.Code));
        Assert.All(lines, l => Assert.True(l.Event is null != (l.Error is null), $"line {l.Line}: either an event or an error, never both"));
    }

    [Fact]
    public async Task Reading_goes_on_after_a_bad_line_a_line_that_is_not_utf8_and_a_line_longer_than_the_limit()
    {
        var good = """{"id":"e-1","type":"login","customerId":"c-001","occurredAt":"2026-03-15T09:30:00Z"}""";
        var bytes = Encoding.UTF8.GetBytes(good + "\n{\n" + good.Replace("e-1", "e-2", StringComparison.Ordinal) + "\n")
            .Concat(new byte[] { 0xC3, 0x28, (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes(new string('x', EventJsonLines.MaxLineBytes * 2) + "\r\n" + good.Replace("e-1", "e-3", StringComparison.Ordinal))).ToArray();

        var lines = new List<EventLine>();
        await foreach (var line in EventJsonLines.ReadAsync(new MemoryStream(bytes)))
        {
            lines.Add(line);
        }

        Assert.Equal(["e-1", null, "e-2", null, null, "e-3"], lines.Select(l => l.Event?.Id));
        Assert.Equal([1L, 2, 3, 4, 5, 6], lines.Select(l => l.Line));
        Assert.Equal(EventCodes.InvalidJson, lines[3].Code);
        Assert.Equal(EventCodes.LineTooLong, lines[4].Code);
        Assert.Contains("not valid UTF-8", lines[3].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bundled_events_file_reads_without_a_bad_line_and_names_only_bundled_customers()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "data", "events.jsonl");
        var customers = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "customers.json")))!["customers"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

        var lines = new List<EventLine>();
        await using (var stream = File.OpenRead(file))
        {
            await foreach (var line in EventJsonLines.ReadAsync(stream))
            {
                lines.Add(line);
            }
        }

        Assert.All(lines, l => Assert.Null(l.Error));
        Assert.True(lines.Count > 300, $"{lines.Count} events");
        Assert.All(lines, l => Assert.Contains(l.Event!.CustomerId, customers));
        Assert.Equal(lines.Count, lines.Select(l => l.Event!.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(lines, l => l.Event!.Type == "order_shipped" && l.Event.Text("tracking_url") is not null && l.Event.Text("order_number") is not null);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_an_error_not_read()
    {
        var line = EventJsonLines.Parse(9, "{\"id\":\"" + new string('x', EventJsonLines.MaxLineBytes) + "\"}");

        Assert.Null(line.Event);
        Assert.Equal(EventCodes.LineTooLong, line.Code);
        Assert.Contains("longer than 65536 bytes", line.Error, StringComparison.Ordinal);
    }
}

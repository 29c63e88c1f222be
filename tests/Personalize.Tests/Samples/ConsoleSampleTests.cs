using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>The console sample as a user runs it: arguments in, text and exit code out.</summary>
public sealed class ConsoleSampleTests
{
    private static readonly string Data = SampleConsole.Customers;

    [Fact]
    public void Prints_per_customer_channels_and_reasons_at_a_fixed_instant()
    {
        var (exit, output, error) = SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T09:00:00Z");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.StartsWith("Contact availability at 2026-03-15 09:00 UTC for 50 customers (customers.json)", output, StringComparison.Ordinal);
        Assert.Contains("c-003  Teuila Tuilagi · adoption · Pacific/Pago_Pago (local Sat 22:00)", output, StringComparison.Ordinal);
        Assert.Contains("    SMS (marketing, service): consent.withdrawn — SMS withdrawn on 2 March 2026 via SMS reply STOP.", output, StringComparison.Ordinal);
        Assert.Contains("consent.pending_double_opt_in — Email opt-in of 12 March 2026 via checkout awaits double opt-in confirmation.", output, StringComparison.Ordinal);
        Assert.Contains("consent.purpose_withdrawn — All marketing withdrawn on 20 February 2026 via call centre, agent 17.", output, StringComparison.Ordinal);
        Assert.Contains("Reachable now: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_instant_gives_the_same_output()
    {
        Assert.Equal(SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T09:00:00Z").Output, SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T22:00:00+13:00").Output);
    }

    [Fact]
    public void Daytime_in_the_customers_zone_opens_channels_that_quiet_hours_closed()
    {
        // 09:00 UTC is 22:00 in Auckland (quiet); 21:00 UTC is 10:00 there.
        var night = SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T09:00:00Z").Output;
        var morning = SampleConsole.Run("channels", "--data", Data, "--now", "2026-03-15T21:00:00Z").Output;

        static string Block(string output, string id) => output[output.IndexOf(id + "  ", StringComparison.Ordinal)..].Split(Environment.NewLine + Environment.NewLine)[0];

        Assert.Contains("  marketing: —", Block(night, "c-001"), StringComparison.Ordinal);
        Assert.Contains("  marketing: Push, Email, SMS", Block(morning, "c-001"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_data_file_names_file_path_and_reason_without_a_stack_trace()
    {
        var file = Path.Combine(Path.GetTempPath(), $"personalize-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "customers": [ { "id": "c-1", "stage": "adoption", "timeZone": "Mars/Base" }, { "id": "c-2", "stage": "exposure", "timeZone": "Etc/UTC", "contactPoints": { "phone": "12345" } } ] }""");
        try
        {
            var (exit, output, error) = SampleConsole.Run("channels", "--data", file);

            Assert.Equal(ConsoleApp.DataError, exit);
            Assert.Empty(output);
            Assert.Contains($"{file}: 2 errors, no customers loaded", error, StringComparison.Ordinal);
            Assert.Contains($"{file} line 1, column 54: $.customers[0].timeZone: \"Mars/Base\" is not an IANA time zone", error, StringComparison.Ordinal);
            Assert.Contains($"{file} line 1, column 159: $.customers[1].contactPoints.phone: \"12345\" is not in E.164 form", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Missing_data_file_is_a_data_error()
    {
        var (exit, _, error) = SampleConsole.Run("channels", "--data", "/nonexistent/customers.json");

        Assert.Equal(ConsoleApp.DataError, exit);
        Assert.StartsWith("error: /nonexistent/customers.json: cannot read the customers file", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--now", "yesterday")]
    [InlineData("--now", "2026-03-15T09:00:00")]
    [InlineData("--now")]
    [InlineData("--verbose")]
    [InlineData("explode")]
    public void Bad_command_line_is_a_usage_error(params string[] args)
    {
        var (exit, output, error) = SampleConsole.Run(args);

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_command_and_options()
    {
        var (exit, output, _) = SampleConsole.Run("--help");

        Assert.Equal(0, exit);
        Assert.Contains("channels", output, StringComparison.Ordinal);
        Assert.Contains("run        send what became due, then decide, render and record", output, StringComparison.Ordinal);
        foreach (var command in new[] { "due [--now INSTANT]", "import --data FILE", "history --customer ID", "erase --customer ID", "--db FILE" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }

        Assert.Contains("preview --customer ID --message ID --channel CHANNEL", output, StringComparison.Ordinal);
        Assert.Contains("--customers N", output, StringComparison.Ordinal);
        Assert.Contains("--now INSTANT", output, StringComparison.Ordinal);
        Assert.Contains("3 some customers failed", output, StringComparison.Ordinal);
    }
}

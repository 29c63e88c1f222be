using System.Globalization;
using System.Text;
using Personalize.Samples.ConsoleHost;
using SmtpServer.Protocol;

namespace Personalize.MailKit.Tests;

/// <summary>The console sample's <c>run --smtp HOST:PORT</c> and <c>due --smtp</c> against a real SMTP server on a loopback port.</summary>
public sealed class ConsoleSmtpTests : IDisposable
{
    private const string Now = "2026-03-15T22:00:00Z";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pz-console-smtp-" + Guid.NewGuid().ToString("N"));

    private string Outbox => Path.Combine(_root, "outbox");

    [Fact]
    public async Task Run_sends_the_email_due_now_through_smtp_and_the_other_channels_to_the_outbox()
    {
        await using var server = LoopbackSmtpServer.Start();

        var (exit, output, error) = Run("run", "--now", Now, "--out", Outbox, "--smtp", $"127.0.0.1:{server.Port}");

        Assert.Equal(string.Empty, error);
        Assert.Equal(0, exit);
        Assert.Contains($"Email: SMTP 127.0.0.1:{server.Port} (plain, loopback); other channels: outbox {Outbox}", output, StringComparison.Ordinal);
        var emails = Row(output, "sent · email");
        Assert.True(emails > 0, output);
        Assert.Equal(emails, server.Accepted.Count);
        Assert.False(Directory.Exists(Path.Combine(Outbox, "email")) && Directory.GetFiles(Path.Combine(Outbox, "email")).Length > 0, "no email in the outbox");
        Assert.Equal(Row(output, "sent · total") - emails, Directory.GetFiles(Outbox, "*.jsonl").Sum(f => File.ReadAllLines(f).Count(l => l.Length > 0)));
        Assert.Equal(0, Row(output, "failed permanently (refused by the sink)"));
        Assert.Equal(0, Row(output, "retried (sink retries)"));
        Assert.All(server.Accepted, m => Assert.Contains("List-Unsubscribe:", Encoding.UTF8.GetString(m.Data), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_message_counts_as_failed_permanently_and_a_4xx_as_retried()
    {
        await using var server = LoopbackSmtpServer.Start();
        string? refused = null;
        var deferredOnce = 0;
        server.Answer = (message, _) =>
        {
            lock (server)
            {
                refused ??= message.To[0];
                if (message.To[0] == refused)
                {
                    return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unknown");
                }

                return Interlocked.Exchange(ref deferredOnce, 1) == 0 ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 try again later") : SmtpResponse.Ok;
            }
        };

        var (exit, output, error) = Run("run", "--now", Now, "--out", Outbox, "--smtp", $"localhost:{server.Port}");

        Assert.Equal(ConsoleApp.PartialFailure, exit);
        Assert.Equal(1, Row(output, "failed permanently (refused by the sink)"));
        Assert.Equal(1, Row(output, "retried (sink retries)"));
        Assert.Equal(1, Row(output, "errors"));
        Assert.Equal(Row(output, "sent · email"), server.Accepted.Count);
        Assert.Contains("5.1.1 mailbox unknown", error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Accepted, m => m.To[0] == refused);
    }

    [Fact]
    public async Task Due_sends_the_deferred_email_through_smtp_once_it_is_due()
    {
        await using var server = LoopbackSmtpServer.Start();
        var first = Run("run", "--now", Now, "--out", Outbox);
        Assert.Equal(0, first.Exit);
        Assert.True(Row(first.Output, "deferred (scheduled for later)") > 0, first.Output);

        var (exit, output, error) = Run("due", "--now", "2026-03-17T22:00:00Z", "--out", Outbox, "--smtp", $"127.0.0.1:{server.Port}");

        Assert.Equal(string.Empty, error);
        Assert.Equal(0, exit);
        var emails = Row(output, "sent · email");
        Assert.True(emails > 0, output);
        Assert.Equal(emails, server.Accepted.Count);
    }

    [Theory]
    [InlineData("localhost", "expected HOST:PORT with a port from 1 to 65535, for example localhost:2525")]
    [InlineData("localhost:0", "expected HOST:PORT with a port from 1 to 65535, for example localhost:2525")]
    [InlineData("localhost:smtp", "expected HOST:PORT with a port from 1 to 65535, for example localhost:2525")]
    [InlineData(":25", "expected HOST:PORT with a port from 1 to 65535, for example localhost:2525")]
    public void A_malformed_smtp_address_is_a_usage_error(string value, string problem)
    {
        var (exit, output, error) = Run("run", "--now", Now, "--out", Outbox, "--smtp", value);

        Assert.Equal(ConsoleApp.UsageError, exit);
        Assert.Equal($"error: --smtp '{value}': {problem}." + Environment.NewLine, error);
        Assert.Equal(string.Empty, output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = ConsoleApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static long Row(string output, string label)
    {
        var line = output.Split('\n').Single(l => l.StartsWith(label + "  ", StringComparison.Ordinal));
        return long.Parse(line[label.Length..].Trim().Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }
}

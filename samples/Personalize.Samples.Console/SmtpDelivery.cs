using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Personalize.Channels;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.MailKit;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>--smtp HOST:PORT</c> for <c>run</c> and <c>due</c>: email goes to this SMTP server through <see cref="SmtpSink"/>
/// (Personalize.MailKit), every other channel to the outbox. A loopback server (a local test server) is spoken to in
/// plain text; any other host with STARTTLS and its certificate validated. <c>PERSONALIZE_SMTP_USER</c> and
/// <c>PERSONALIZE_SMTP_PASSWORD</c> give credentials (never on the command line, where other users can read them).
/// </summary>
internal static class SmtpDelivery
{
    public const string UserVariable = "PERSONALIZE_SMTP_USER";
    public const string PasswordVariable = "PERSONALIZE_SMTP_PASSWORD";

    public static bool TryCreate(string value, [NotNullWhen(true)] out SmtpSink? sink, [NotNullWhen(false)] out string? problem)
    {
        sink = null;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = "expected HOST:PORT with a port from 1 to 65535, for example localhost:2525";
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        var options = new SmtpSinkOptions
        {
            Host = host,
            Port = port,
            Security = loopback ? SmtpSecurity.None : SmtpSecurity.StartTls,
            UserName = Environment.GetEnvironmentVariable(UserVariable),
            Password = Environment.GetEnvironmentVariable(PasswordVariable),
        };
        if (options.Validate() is [var first, ..])
        {
            problem = first;
            return false;
        }

        sink = new SmtpSink(options, TimeProvider.System);
        problem = null;
        return true;
    }

    public static string Describe(SmtpSink smtp, string outbox)
        => $"Email: SMTP {smtp.Options.Host}:{smtp.Options.EffectivePort.ToString(CultureInfo.InvariantCulture)} ({(smtp.Options.Security == SmtpSecurity.None ? "plain, loopback" : smtp.Options.Security.ToString())}); other channels: outbox {outbox}";
}

/// <summary>Email to the SMTP sink, every other channel to the outbox (flushed before the run records its messages delivered).</summary>
internal sealed class EmailRouterSink(IMessageSink email, FileOutboxSink others) : IFlushableMessageSink
{
    public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        => message.Channel == Channel.Email ? email.WriteAsync(message, cancellationToken) : others.WriteAsync(message, cancellationToken);

    public async ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
        => await email.ContainsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false) || await others.ContainsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => others.FlushAsync(cancellationToken);

    /// <summary>Done with a message when its write completes only when both sinks it routes to are.</summary>
    public bool ReleasesMessageAfterWrite => email.ReleasesMessageAfterWrite && others.ReleasesMessageAfterWrite;
}

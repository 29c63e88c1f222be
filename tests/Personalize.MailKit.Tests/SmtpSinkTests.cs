using System.Net.Security;
using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using SmtpServer.Protocol;

namespace Personalize.MailKit.Tests;

/// <summary>The SMTP sink against a real SMTP server on a loopback port.</summary>
public sealed class SmtpSinkTests
{
    private static readonly SinkRetryPolicy FiveAttempts = new(5, TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task Every_message_arrives_byte_identical_to_the_mime_the_project_writes()
    {
        await using var server = LoopbackSmtpServer.Start();
        await using var sink = Sink(server);
        var messages = Enumerable.Range(1, 12).Select(Email).ToList();

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync(messages);

        Assert.Equal(12, report.Written);
        Assert.Empty(report.Failures);
        var received = server.Accepted.ToList();
        Assert.Equal(12, received.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(MimeEmailWriter.ToBytes(messages[i]), received[i].Data);
            Assert.Equal(["c" + (i + 1) + "@example.com"], received[i].To);
            Assert.Equal("news@example.com", received[i].From);
        }

        Assert.Equal(1, server.Sessions);
    }

    [Fact]
    public async Task Parallel_writes_share_a_pool_of_at_most_MaxConnections_connections()
    {
        await using var server = LoopbackSmtpServer.Start();
        await using var sink = Sink(server, o => o.MaxConnections = 3);
        var messages = Enumerable.Range(1, 30).Select(Email).ToList();

        await Task.WhenAll(messages.Select(m => sink.WriteAsync(m).AsTask()));

        Assert.Equal(30, server.Accepted.Count);
        Assert.InRange(server.Sessions, 1, 3);
        Assert.Equal(messages.Select(m => m.Recipient).Order(), server.Accepted.Select(r => r.To.Single()).Order());
    }

    [Fact]
    public async Task A_4xx_reply_is_transient_and_retried_until_accepted()
    {
        await using var server = LoopbackSmtpServer.Start();
        server.Answer = (_, attempt) => attempt <= 2 ? new SmtpResponse((SmtpReplyCode)451, "4.3.0 try again later") : SmtpResponse.Ok;
        await using var sink = Sink(server);

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync([Email(1)]);

        Assert.Equal(1, report.Written);
        Assert.Equal(2, report.Retries);
        Assert.Equal(3, server.Attempts);
        Assert.Single(server.Accepted);
    }

    [Fact]
    public async Task A_4xx_reply_on_every_attempt_is_recorded_as_transient_with_the_reply()
    {
        await using var server = LoopbackSmtpServer.Start();
        server.Answer = (_, _) => new SmtpResponse((SmtpReplyCode)452, "4.2.2 mailbox full");
        await using var sink = Sink(server);

        var report = await new SinkWriter(sink, new SinkRetryPolicy(3, TimeSpan.FromMilliseconds(1)), TimeProvider.System).WriteAsync([Email(1)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(SinkFailureKind.Transient, failure.Kind);
        Assert.Equal("smtp.452", failure.Code);
        Assert.Equal(3, failure.Attempts);
        Assert.Equal(3, server.Attempts);
        Assert.Contains("4.2.2 mailbox full", failure.ProviderResponse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_reply_is_recorded_as_permanent_and_never_retried_while_the_rest_are_sent()
    {
        await using var server = LoopbackSmtpServer.Start();
        server.Answer = (message, _) => message.To[0] == "c2@example.com" ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unknown") : SmtpResponse.Ok;
        await using var sink = Sink(server);

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync([Email(1), Email(2), Email(3)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal("c2@example.com", failure.Message.Recipient);
        Assert.Equal(SinkFailureKind.Permanent, failure.Kind);
        Assert.Equal("smtp.550", failure.Code);
        Assert.Equal(1, failure.Attempts);
        Assert.Equal("550 5.1.1 mailbox unknown", failure.ProviderResponse);
        Assert.Equal(0, report.Retries);
        Assert.Equal(3, server.Attempts);
        Assert.Equal(["c1@example.com", "c3@example.com"], server.Accepted.Select(r => r.To.Single()));
        Assert.False(await sink.ContainsAsync(failure.Message.IdempotencyKey));
        Assert.True(await sink.ContainsAsync(Email(1).IdempotencyKey));
    }

    [Fact]
    public async Task The_servers_certificate_is_validated_by_default_and_a_self_signed_one_is_refused_permanently()
    {
        await using var server = LoopbackSmtpServer.Start(startTls: true);
        await using var sink = new SmtpSink(new SmtpSinkOptions { Host = "localhost", Port = server.Port, CheckCertificateRevocation = false }, TimeProvider.System);

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync([Email(1)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(SinkFailureKind.Permanent, failure.Kind);
        Assert.Equal("smtp.tls", failure.Code);
        Assert.Equal(1, failure.Attempts);
        Assert.Empty(server.Accepted);
    }

    [Fact]
    public async Task Starttls_with_a_pinned_certificate_and_authentication_sends()
    {
        await using var server = LoopbackSmtpServer.Start(startTls: true, credentials: ("sender", "s3cret"));
        var thumbprint = server.Certificate!.GetCertHashString(HashAlgorithmName.SHA256);
        await using var sink = new SmtpSink(
            new SmtpSinkOptions
            {
                Host = "localhost",
                Port = server.Port,
                UserName = "sender",
                Password = "s3cret",
                CheckCertificateRevocation = false,
                ServerCertificateValidation = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
            TimeProvider.System);
        var message = Email(1);

        await sink.WriteAsync(message);

        var received = Assert.Single(server.Accepted);
        Assert.Equal("sender", received.User);
        Assert.Equal(MimeEmailWriter.ToBytes(message), received.Data);
    }

    [Fact]
    public async Task Refused_credentials_are_a_permanent_failure()
    {
        await using var server = LoopbackSmtpServer.Start(credentials: ("sender", "s3cret"));
        await using var sink = Sink(server, o => (o.UserName, o.Password) = ("sender", "wrong"));

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync([Email(1)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(("smtp.auth", SinkFailureKind.Permanent, 1), (failure.Code, failure.Kind, failure.Attempts));
        Assert.Empty(server.Accepted);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_transient_connection_failure()
    {
        int port;
        await using (var gone = LoopbackSmtpServer.Start())
        {
            port = gone.Port;
        }

        await using var sink = new SmtpSink(new SmtpSinkOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);

        var report = await new SinkWriter(sink, new SinkRetryPolicy(2, TimeSpan.FromMilliseconds(1)), TimeProvider.System).WriteAsync([Email(1)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(("smtp.connection", SinkFailureKind.Transient, 2), (failure.Code, failure.Kind, failure.Attempts));
    }

    [Fact]
    public async Task A_message_that_is_not_an_email_is_refused_permanently_without_connecting()
    {
        await using var server = LoopbackSmtpServer.Start();
        await using var sink = Sink(server);
        var sms = Composer().Sms(Request(1), "Your order has shipped.");

        var report = await new SinkWriter(sink, FiveAttempts, TimeProvider.System).WriteAsync([sms]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(("smtp.not_email", SinkFailureKind.Permanent), (failure.Code, failure.Kind));
        Assert.Equal(0, server.Sessions);
    }

    [Fact]
    public async Task Dkim_signs_with_one_header_on_top_of_the_unchanged_message_and_the_signature_verifies()
    {
        using var rsa = RSA.Create(2048);
        await using var server = LoopbackSmtpServer.Start();
        await using var sink = Sink(server, o => o.Dkim = new SmtpDkimOptions { Domain = "example.com", Selector = "pz", PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem() });
        var message = Email(1);

        await sink.WriteAsync(message);

        var data = Assert.Single(server.Accepted).Data;
        var original = MimeEmailWriter.ToBytes(message);
        Assert.StartsWith("DKIM-Signature: ", System.Text.Encoding.ASCII.GetString(data), StringComparison.Ordinal);
        Assert.Equal(original, data[^original.Length..]);
        using var stream = new MemoryStream(data);
        var parsed = await MimeMessage.LoadAsync(stream);
        var signature = parsed.Headers[parsed.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.Contains("d=example.com", signature.Value, StringComparison.Ordinal);
        Assert.Contains("s=pz", signature.Value, StringComparison.Ordinal);
        var verifier = new DkimVerifier(new OneKeyLocator(rsa));
        Assert.True(await verifier.VerifyAsync(parsed, signature));
    }

    [Fact]
    public void Invalid_options_are_all_named_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new SmtpSink(
            new SmtpSinkOptions { Host = "", MaxConnections = 0, UserName = "u", EnvelopeSender = "a..b@example.com", Dkim = new SmtpDkimOptions() },
            TimeProvider.System));

        Assert.StartsWith("The SMTP sink options are invalid: Host is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Password is required when UserName is set.", error.Message, StringComparison.Ordinal);
        Assert.Contains("EnvelopeSender is not an email address: it has two dots in a row", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConnections must be from 1 to 64; it is 0.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dkim needs Domain and Selector.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dkim needs exactly one of PrivateKeyPem and PrivateKeyPath.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_envelope_sender_can_differ_from_the_from_address()
    {
        await using var server = LoopbackSmtpServer.Start();
        await using var sink = Sink(server, o => o.EnvelopeSender = "bounces@mail.example.com");

        await sink.WriteAsync(Email(1));

        Assert.Equal("bounces@mail.example.com", Assert.Single(server.Accepted).From);
    }

    internal static SmtpSink Sink(LoopbackSmtpServer server, Action<SmtpSinkOptions>? change = null)
    {
        var options = new SmtpSinkOptions { Host = "127.0.0.1", Port = server.Port, Security = SmtpSecurity.None };
        change?.Invoke(options);
        return new SmtpSink(options, TimeProvider.System);
    }

    internal static OutgoingMessage Email(int n) => Composer().Email(Request(n), new EmailContent
    {
        Subject = n % 2 == 0 ? $"Rosen 🌹 für dich, Nummer {n}" : $"Spring sale {n}",
        TextBody = $"Hello customer {n},\n.\n..a line that starts with a dot\n" + new string('x', 200) + "\nGrüße",
        HtmlBody = $"<p>Hello <b>customer {n}</b></p><p>Grüße 🌹</p>",
    });

    private static DeliveryRequest Request(int n) => new(Customer(n), "spring-sale", "campaign:spring-2026", ContactPurpose.Marketing, new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero));

    private static CustomerProfile Customer(int n) => new()
    {
        Id = "c-" + n,
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
        ContactPoints = new ContactPoints { Email = $"c{n}@example.com", Phone = "+64211234567" },
        Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero), ConsentSource.Form("our website"))]),
    };

    private static MessageComposer Composer()
    {
        var options = new DeliveryOptions
        {
            FromAddress = "news@example.com",
            FromName = "Gärtnerei Müller",
            ListId = "news.example.com",
            UnsubscribeUrl = new Uri("https://example.com/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@example.com",
            PreferenceCenterUrl = new Uri("https://example.com/preferences"),
            TokenSigningKey = "test-signing-key-0123456789abcdef-XYZ",
        };
        return new MessageComposer(options, new DeliveryLinks(options, new SignedTokenService(options, TimeProvider.System)));
    }

    private sealed class OneKeyLocator(RSA rsa) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
            => GetPublicKey("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
            => Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}

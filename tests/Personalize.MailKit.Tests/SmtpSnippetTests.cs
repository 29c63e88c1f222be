using Microsoft.Extensions.DependencyInjection;
using Personalize.Delivery.Sinks;

namespace Personalize.MailKit.Tests;

/// <summary>The SMTP set-up shown in docs/delivery.md, run against the loopback server.</summary>
public sealed class SmtpSnippetTests
{
    [Fact]
    public async Task The_documented_setup_sends_through_the_smtp_server()
    {
        await using var server = LoopbackSmtpServer.Start(credentials: ("sender", "s3cret"));
        var services = new ServiceCollection();
        services.AddPersonalizeDelivery(o =>
        {
            o.FromAddress = "news@example.com";
            o.ListId = "news.example.com";
            o.UnsubscribeMailbox = "unsubscribe@example.com";
            o.UnsubscribeUrl = new Uri("https://example.com/unsubscribe");
            o.PreferenceCenterUrl = new Uri("https://example.com/preferences");
            o.TokenSigningKey = "test-signing-key-0123456789abcdef-XYZ";
        });
        var (host, port, security, password) = ("127.0.0.1", server.Port, SmtpSecurity.None, "s3cret");

        // begin-snippet: smtp
        services.AddPersonalizeSmtp(o =>
        {
            o.Host = host;             // for example smtp.example.com
            o.Port = port;             // 0: 587 for StartTls (the default), 465 for Tls
            o.Security = security;     // StartTls by default, with the certificate validated
            o.UserName = "sender";
            o.Password = password;
            o.EnvelopeSender = "bounces@example.com";
        });
        // end-snippet
        await using var provider = services.BuildServiceProvider();
        var writer = provider.GetRequiredService<SinkWriter>();

        var report = await writer.WriteAsync([SmtpSinkTests.Email(7)]);

        Assert.Equal(1, report.Written);
        Assert.IsType<SmtpSink>(writer.Sink);
        var received = Assert.Single(server.Accepted);
        Assert.Equal(("sender", "bounces@example.com"), (received.User, received.From));
    }

    [Fact]
    public void The_registration_checks_the_options_at_start_and_a_sink_registered_before_wins()
    {
        var invalid = new ServiceCollection().AddPersonalizeSmtp(o => o.Port = 70_000);
        using var provider = invalid.BuildServiceProvider();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate());

        var twice = new ServiceCollection().AddPersonalizeSmtp(o => o.Host = "first.example").AddPersonalizeSmtp(o => o.Host = "second.example");
        using var registered = twice.BuildServiceProvider();

        Assert.StartsWith("The SMTP sink options are invalid: Host is required", error.Message, StringComparison.Ordinal);
        Assert.Equal("first.example", registered.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpSinkOptions>>().Value.Host);
    }

    [Fact]
    public void Delivery_guide_shows_the_smtp_setup_as_compiled()
        => DocSnippets.AssertShown("tests/Personalize.MailKit.Tests/SmtpSnippetTests.cs", "smtp", "docs/delivery.md");
}

using System.Net.Security;

namespace Personalize.MailKit;

/// <summary>Where and how <see cref="SmtpSink"/> sends: the server, its security, credentials, the pool and DKIM.</summary>
public sealed class SmtpSinkOptions
{
    /// <summary>The most connections a sink may hold open, as <see cref="MaxConnections"/> may be set.</summary>
    public const int MaxPoolSize = 64;

    /// <summary>The SMTP server's host name (it is also the name the server's TLS certificate must carry).</summary>
    /// <value>The default value is an empty string (required).</value>
    public string Host { get; set; } = string.Empty;

    /// <summary>The server's port.</summary>
    /// <value>The default value is 0: 587 for <see cref="SmtpSecurity.StartTls"/>, 465 for <see cref="SmtpSecurity.Tls"/>, 25 for <see cref="SmtpSecurity.None"/>.</value>
    public int Port { get; set; }

    /// <summary>How the connection is secured.</summary>
    /// <value>The default value is <see cref="SmtpSecurity.StartTls"/>.</value>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>
    /// Validates the server's certificate instead of the system's check (the host name and a chain to a trusted root), for
    /// example to pin a private relay's certificate. Leave it <see langword="null"/> in production: an invalid certificate
    /// then fails every message permanently with <c>smtp.tls</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (the system's validation).</value>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>Whether certificate revocation is checked during the TLS handshake.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>The user name for SMTP AUTH; <see langword="null"/> sends without authenticating.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? UserName { get; set; }

    /// <summary>The password for SMTP AUTH.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>
    /// The envelope sender (<c>MAIL FROM</c>), where bounces go, for example <c>bounces@mail.example.com</c>;
    /// <see langword="null"/> uses each message's From address.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? EnvelopeSender { get; set; }

    /// <summary>The name the sink gives in <c>EHLO</c>; <see langword="null"/> lets MailKit use the machine's name.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? LocalDomain { get; set; }

    /// <summary>How many connections the sink keeps to the server at most (messages are sent on them in parallel when the caller writes in parallel).</summary>
    /// <value>The default value is 4; from 1 to <see cref="MaxPoolSize"/>.</value>
    public int MaxConnections { get; set; } = 4;

    /// <summary>How long one SMTP command may take (connect, each reply, the message data) before the attempt fails as transient <c>smtp.timeout</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an unused connection is kept for the next message; older ones are closed (servers drop idle clients).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>DKIM signing; <see langword="null"/> sends unsigned.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SmtpDkimOptions? Dkim { get; set; }

    /// <summary>The port used: <see cref="Port"/>, or the default of <see cref="Security"/>.</summary>
    public int EffectivePort => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.Tls => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };

    /// <summary>The one message of every problem <see cref="Validate"/> found.</summary>
    internal static string DescribeErrors(IReadOnlyList<string> errors) => "The SMTP sink options are invalid: " + string.Join(" ", errors);

    /// <summary>Checks the options (<c>AddPersonalizeSmtp</c> does at start).</summary>
    /// <returns>Every problem, each a sentence; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Host is required (the SMTP server, for example smtp.example.com).");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port {Port} is not a TCP port (1 to 65535, or 0 for the default of the security mode).");
        }

        if (!Enum.IsDefined(Security))
        {
            errors.Add($"Security {(int)Security} is not an SmtpSecurity.");
        }

        if (UserName is not null && Password is null)
        {
            errors.Add("Password is required when UserName is set.");
        }

        if (EnvelopeSender is not null && !Customers.ContactPointValidation.TryValidateEmail(EnvelopeSender, out var problem))
        {
            errors.Add($"EnvelopeSender is not an email address: it {problem}.");
        }

        if (MaxConnections is < 1 or > MaxPoolSize)
        {
            errors.Add($"MaxConnections must be from 1 to {MaxPoolSize}; it is {MaxConnections}.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Timeout must be more than zero and at most 10 minutes; it is {Timeout}.");
        }

        if (IdleTimeout < TimeSpan.Zero)
        {
            errors.Add($"IdleTimeout cannot be negative; it is {IdleTimeout}.");
        }

        if (Dkim is { } dkim)
        {
            if (string.IsNullOrWhiteSpace(dkim.Domain) || string.IsNullOrWhiteSpace(dkim.Selector))
            {
                errors.Add("Dkim needs Domain and Selector.");
            }

            if ((dkim.PrivateKeyPem is null) == (dkim.PrivateKeyPath is null))
            {
                errors.Add("Dkim needs exactly one of PrivateKeyPem and PrivateKeyPath.");
            }

            if (!dkim.Headers.Any(h => string.Equals(h, "From", StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add("Dkim.Headers must include From (RFC 6376 requires it to be signed).");
            }
        }

        return errors;
    }
}

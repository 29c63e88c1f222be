namespace Personalize.MailKit;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>
    /// Connect in plain text, then upgrade with <c>STARTTLS</c>; a server that does not offer it is an error
    /// (submission port 587). The default.
    /// </summary>
    StartTls = 0,

    /// <summary>TLS from the first byte (implicit TLS, port 465).</summary>
    Tls = 1,

    /// <summary>
    /// No encryption: messages and credentials cross the network in clear. Only for a relay on the same host or a
    /// test server on a loopback port.
    /// </summary>
    None = 2,
}

namespace Personalize.MailKit;

/// <summary>DKIM signing (RFC 6376) of every message before it is sent, through MimeKit's <c>DkimSigner</c>.</summary>
public sealed class SmtpDkimOptions
{
    /// <summary>The signing domain (<c>d=</c>), for example <c>example.com</c>; it should be the From address's domain or a parent of it.</summary>
    /// <value>The default value is an empty string (required).</value>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The selector (<c>s=</c>): the key is published at <c>SELECTOR._domainkey.DOMAIN</c>.</summary>
    /// <value>The default value is an empty string (required).</value>
    public string Selector { get; set; } = string.Empty;

    /// <summary>The RSA private key in PEM form (<c>-----BEGIN PRIVATE KEY-----</c> or <c>-----BEGIN RSA PRIVATE KEY-----</c>).</summary>
    /// <value>The default value is <see langword="null"/>; set this or <see cref="PrivateKeyPath"/>.</value>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A file holding the RSA private key in PEM form.</summary>
    /// <value>The default value is <see langword="null"/>; set this or <see cref="PrivateKeyPem"/>.</value>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The headers signed, in order; <c>From</c> must be among them.</summary>
    /// <value>The default value is From, To, Subject, Date, Message-ID, MIME-Version, List-Unsubscribe and List-Unsubscribe-Post.</value>
    public IList<string> Headers { get; } = ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "List-Unsubscribe", "List-Unsubscribe-Post"];
}

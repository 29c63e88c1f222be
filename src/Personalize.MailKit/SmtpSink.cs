using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using Personalize.Channels.Email;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;

namespace Personalize.MailKit;

/// <summary>
/// Sends email messages over SMTP with MailKit: the MIME <see cref="MimeEmailWriter"/> writes is sent as it is (DKIM, when
/// configured, adds its one header on top), from a pool of up to <see cref="SmtpSinkOptions.MaxConnections"/> connections,
/// secured by STARTTLS or TLS with the server's certificate validated unless the host says otherwise, authenticated when
/// credentials are set, with the commands pipelined when the server offers <c>PIPELINING</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each message's answer becomes a <see cref="SinkException"/>: a 4xx reply, a dropped connection or a time-out is
/// <see cref="SinkFailureKind.Transient"/> (<see cref="SinkWriter"/> retries it); a 5xx reply, a certificate the
/// validation refuses, refused credentials or a message that is not an email is <see cref="SinkFailureKind.Permanent"/>
/// (recorded at once, never retried). Codes are <c>smtp.NNN</c> for a reply, <c>smtp.connection</c>, <c>smtp.tls</c>,
/// <c>smtp.auth</c>, <c>smtp.starttls_unavailable</c> and <c>smtp.not_email</c>.
/// </para>
/// <para>
/// SMTP has no idempotency: <see cref="ContainsAsync"/> answers for the messages this sink sent since it was created.
/// Across processes the store's delivery log is the record; a crash between the server's acceptance and that record
/// sends the message once more, with the same <c>Message-ID</c> (the idempotency key), which receivers can use to
/// drop the copy.
/// </para>
/// </remarks>
public sealed class SmtpSink : IMessageSink, IAsyncDisposable, IDisposable
{
    private readonly SmtpSinkOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<PooledClient> _idle = [];
    private readonly ConcurrentDictionary<string, byte> _sent = new(StringComparer.Ordinal);
    private readonly DkimSigner? _signer;
    private readonly string[] _signedHeaders = [];
    private readonly MailboxAddress? _envelopeSender;
    private readonly FormatOptions _format;
    private int _disposed;

    /// <summary>Creates the sink; connections are opened when messages are written.</summary>
    /// <param name="options">The server, security, credentials, pool and DKIM.</param>
    /// <param name="timeProvider">The clock for idle connections.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed), or the DKIM key cannot be read.</exception>
    public SmtpSink(SmtpSinkOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(SmtpSinkOptions.DescribeErrors(errors), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _envelopeSender = options.EnvelopeSender is { } sender ? new MailboxAddress(string.Empty, sender) : null;
        _format = FormatOptions.Default.Clone();
        _format.NewLineFormat = NewLineFormat.Dos;
        if (options.Dkim is { } dkim)
        {
            _signer = CreateSigner(dkim);
            _signedHeaders = [.. dkim.Headers];
        }
    }

    /// <summary>The options.</summary>
    public SmtpSinkOptions Options => _options;

    /// <summary>Gets <see langword="true"/>: a write sends the message (as MIME bytes made at its start) before it completes and keeps only the key, so a send run reuses the arrays of the email bodies it renders for this sink.</summary>
    public bool ReleasesMessageAfterWrite => true;

    /// <inheritdoc/>
    public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return ValueTask.FromResult(_sent.ContainsKey(idempotencyKey));
    }

    /// <inheritdoc/>
    /// <exception cref="SinkException">The server refused the message, or it could not be sent (see the remarks of <see cref="SmtpSink"/>).</exception>
    public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_sent.ContainsKey(message.IdempotencyKey))
        {
            return;
        }

        if (message.Content is not EmailContent email)
        {
            throw new SinkException(SinkFailureKind.Permanent, "smtp.not_email", $"Message {message.IdempotencyKey} on channel {message.Channel} is not an email; route only email to the SMTP sink.");
        }

        var mime = Load(MimeEmailWriter.ToBytes(message));
        _signer?.Sign(_format, mime, _signedHeaders);
        var sender = _envelopeSender ?? new MailboxAddress(string.Empty, email.From!.Address);
        var recipients = new[] { new MailboxAddress(string.Empty, message.Recipient) };

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        PooledClient? pooled = null;
        var reusable = false;
        try
        {
            pooled = await RentAsync(cancellationToken).ConfigureAwait(false);
            await pooled.Client.SendAsync(_format, mime, sender, recipients, cancellationToken).ConfigureAwait(false);
            _sent.TryAdd(message.IdempotencyKey, 0);
            reusable = true;
        }
        catch (Exception exception) when (Classify(exception, message) is { } failure)
        {
            throw failure;
        }
        finally
        {
            if (pooled is not null)
            {
                if (reusable && pooled.Client.IsConnected && Volatile.Read(ref _disposed) == 0)
                {
                    pooled.LastUsed = _timeProvider.GetTimestamp();
                    _idle.Add(pooled);
                }
                else
                {
                    await CloseAsync(pooled.Client).ConfigureAwait(false);
                }
            }

            _slots.Release();
        }
    }

    /// <summary>Closes every pooled connection (with <c>QUIT</c>).</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var pooled))
        {
            await CloseAsync(pooled.Client).ConfigureAwait(false);
        }
    }

    /// <summary>Closes every pooled connection.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<PooledClient> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.Client.IsConnected && _timeProvider.GetElapsedTime(pooled.LastUsed) < _options.IdleTimeout)
            {
                return pooled;
            }

            await CloseAsync(pooled.Client).ConfigureAwait(false);
        }

        var client = new SmtpClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            CheckCertificateRevocation = _options.CheckCertificateRevocation,
        };
        try
        {
            if (_options.ServerCertificateValidation is { } validate)
            {
                client.ServerCertificateValidationCallback = validate;
            }

            if (_options.LocalDomain is { } local)
            {
                client.LocalDomain = local;
            }

            var security = _options.Security switch
            {
                SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(_options.Host, _options.EffectivePort, security, cancellationToken).ConfigureAwait(false);
            if (_options.UserName is { } user)
            {
                await client.AuthenticateAsync(user, _options.Password!, cancellationToken).ConfigureAwait(false);
            }

            return new PooledClient(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private SinkException? Classify(Exception exception, OutgoingMessage message)
    {
        var key = message.IdempotencyKey;
        var server = $"{_options.Host}:{_options.EffectivePort}";
        return exception switch
        {
            OperationCanceledException => null,
            SmtpCommandException command => Reply(command, key),
            SslHandshakeException tls => new SinkException(SinkFailureKind.Permanent, "smtp.tls", $"The TLS handshake with {server} failed for {key}: {tls.Message} The server's certificate is validated by default; fix the certificate, or pin it with SmtpSinkOptions.ServerCertificateValidation.", null, tls),
            AuthenticationException auth => new SinkException(SinkFailureKind.Permanent, "smtp.auth", $"{server} refused the credentials of {_options.UserName} for {key}: {auth.Message}", null, auth),
            NotSupportedException unsupported when _options.Security == SmtpSecurity.StartTls => new SinkException(SinkFailureKind.Permanent, "smtp.starttls_unavailable", $"{server} does not offer STARTTLS, which SmtpSecurity.StartTls requires ({key}): {unsupported.Message}", null, unsupported),
            SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException => new SinkException(SinkFailureKind.Transient, "smtp.connection", $"The connection to {server} failed while sending {key}: {exception.Message}", null, exception),
            _ => null,
        };
    }

    private static SinkException Reply(SmtpCommandException command, string key)
    {
        var code = (int)command.StatusCode;
        var kind = code is >= 400 and < 500 ? SinkFailureKind.Transient : SinkFailureKind.Permanent;
        var what = command.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => "refused the recipient",
            SmtpErrorCode.SenderNotAccepted => "refused the sender",
            SmtpErrorCode.MessageNotAccepted => "refused the message",
            _ => "answered",
        };
        var reply = $"{code} {command.Message}".TrimEnd();
        return new SinkException(kind, "smtp." + code.ToString(System.Globalization.CultureInfo.InvariantCulture), $"The SMTP server {what} for {key} ({(kind == SinkFailureKind.Transient ? "temporary" : "permanent")}): {reply}", reply, command);
    }

    private static MimeMessage Load(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return MimeMessage.Load(stream);
    }

    private static DkimSigner CreateSigner(SmtpDkimOptions dkim)
    {
        try
        {
            using var stream = dkim.PrivateKeyPem is { } pem
                ? new MemoryStream(System.Text.Encoding.ASCII.GetBytes(pem), writable: false)
                : (Stream)File.OpenRead(dkim.PrivateKeyPath!);
            return new DkimSigner(stream, dkim.Domain, dkim.Selector, DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new ArgumentException($"The DKIM private key cannot be read ({dkim.PrivateKeyPath ?? "PrivateKeyPem"}): {exception.Message} Give an RSA private key in PEM form.", nameof(dkim), exception);
        }
    }

    private static async ValueTask CloseAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or TimeoutException)
        {
            // The connection is going away anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    private sealed class PooledClient(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;

        public long LastUsed { get; set; }
    }
}

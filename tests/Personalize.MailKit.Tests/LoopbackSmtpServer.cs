using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Personalize.MailKit.Tests;

/// <summary>One message as the server received it: the envelope and the DATA bytes.</summary>
internal sealed record ReceivedMessage(string From, IReadOnlyList<string> To, byte[] Data, string? User);

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, for one test. <see cref="Answer"/> decides
/// each message's reply (250 by default); STARTTLS is offered with a self-signed certificate when asked for, and AUTH
/// is required when a user is given.
/// </summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private LoopbackSmtpServer(int port, X509Certificate2? certificate, (string User, string Password)? credentials)
    {
        Port = port;
        Certificate = certificate;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(builder =>
            {
                builder.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).AllowUnsecureAuthentication(certificate is null).AuthenticationRequired(credentials is not null);
                if (certificate is not null)
                {
                    builder.Certificate(certificate);
                }
            })
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        if (credentials is { } c)
        {
            services.Add(new Authenticator(c.User, c.Password));
        }

        var server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        _running = server.StartAsync(_stop.Token);
    }

    private int _sessions;

    public int Port { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>Decides the reply to each message's DATA; 250 OK by default.</summary>
    public Func<ReceivedMessage, int, SmtpResponse> Answer { get; set; } = static (_, _) => SmtpResponse.Ok;

    /// <summary>Every message accepted (250), in order.</summary>
    public ConcurrentQueue<ReceivedMessage> Accepted { get; } = new();

    /// <summary>How many times DATA was offered, accepted or not.</summary>
    public int Attempts => _attempts;

    /// <summary>How many SMTP sessions (connections) were opened.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    private int _attempts;

    public static LoopbackSmtpServer Start(bool startTls = false, (string User, string Password)? credentials = null)
        => new(FreePort(), startTls ? SelfSigned() : null, credentials);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        Certificate?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed class Store(LoopbackSmtpServer server) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
            var received = new ReceivedMessage(
                transaction.From.User + "@" + transaction.From.Host,
                transaction.To.Select(static m => m.User + "@" + m.Host).ToList(),
                [.. buffer.ToArray(), (byte)'\r', (byte)'\n'], // the CRLF the data's last line shares with the end-of-data line (RFC 5321 4.1.1.4)
                user);
            var attempt = Interlocked.Increment(ref server._attempts);
            var answer = server.Answer(received, attempt);
            if (answer.ReplyCode == SmtpReplyCode.Ok)
            {
                server.Accepted.Enqueue(received);
            }

            return Task.FromResult(answer);
        }
    }

    private sealed class Authenticator(string user, string password) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken)
            => Task.FromResult(user1 == user && password1 == password);
    }
}

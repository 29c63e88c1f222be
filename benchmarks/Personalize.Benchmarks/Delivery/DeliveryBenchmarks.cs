using System.Buffers;
using BenchmarkDotNet.Attributes;
using Personalize.Channels.Email;
using Personalize.Channels.Sms;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;

namespace Personalize.Benchmarks.Delivery;

/// <summary>
/// The per-recipient costs of delivery: SMS analysis, idempotency key, composing and writing an email, a token, and
/// the file outbox. Composing and signing rotate over 8 customers, so the per-thread token cache (4 entries) never
/// answers from an earlier call: each figure includes signing.
/// </summary>
[MemoryDiagnoser]
public class DeliveryBenchmarks
{
    private const int OutboxSms = 1000;
    private const int OutboxEmails = 100;
    private static readonly DateTimeOffset SendAt = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private MessageComposer _composer = null!;
    private SignedTokenService _tokens = null!;
    private DeliveryRequest _request = null!;
    private DeliveryRequest[] _requests = null!;
    private string[] _customerIds = null!;
    private OutgoingMessage[] _smsMessages = null!;
    private OutgoingMessage[] _emailMessages = null!;
    private string _outboxRoot = null!;
    private int _next;
    private EmailContent _email = null!;
    private OutgoingMessage _message = null!;
    private SinkWriter _nullWriter = null!;
    private string _smsGsm = null!;
    private string _smsUnicode = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new DeliveryOptions
        {
            FromAddress = "news@example.com",
            FromName = "Gärtnerei Müller",
            ListId = "news.example.com",
            UnsubscribeUrl = new Uri("https://example.com/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@example.com",
            PreferenceCenterUrl = new Uri("https://example.com/preferences"),
            TokenSigningKey = "benchmark-signing-key-0123456789abcdef",
        };
        _tokens = new SignedTokenService(options, TimeProvider.System);
        _composer = new MessageComposer(options, new DeliveryLinks(options, _tokens));
        var customer = new CustomerProfile { Id = "c-42", ContactPoints = new ContactPoints { Email = "ada@example.com", Phone = "+64211234567" } };
        _request = new DeliveryRequest(customer, "spring-sale", "campaign:2026-03", ContactPurpose.Marketing, SendAt);
        _customerIds = Enumerable.Range(0, 8).Select(i => "c-4" + i).ToArray();
        _requests = _customerIds.Select(id => _request with { Customer = customer with { Id = id } }).ToArray();
        _email = new EmailContent
        {
            Subject = "Frühling im Garten – 20 % auf Rosen 🌹",
            Preheader = "Nur bis Sonntag",
            TextBody = string.Concat(Enumerable.Repeat("Hallo Ada, unsere Frühlingsaktion: 20 % auf Rosen.\n", 20)),
            HtmlBody = "<html><body>" + string.Concat(Enumerable.Repeat("<p>Hallo Ada, unsere Frühlingsaktion: 20&nbsp;% auf Rosen.</p>\n", 20)) + "</body></html>",
        };
        _message = _composer.Email(_request, _email);
        _nullWriter = new SinkWriter(NullSink.Instance, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System);
        _smsGsm = string.Concat(Enumerable.Repeat("Roses 20% off this week at your local store. ", 6));
        _smsUnicode = string.Concat(Enumerable.Repeat("Rosen 20 % günstiger 🌹 ", 6));
        _smsMessages = Enumerable.Range(0, OutboxSms)
            .Select(i => _composer.Sms(_request with { Customer = customer with { Id = "s-" + i } }, _smsGsm))
            .ToArray();
        _emailMessages = Enumerable.Range(0, OutboxEmails)
            .Select(i => _composer.Email(_request with { Customer = customer with { Id = "e-" + i } }, _email))
            .ToArray();
        _outboxRoot = Path.Combine(Path.GetTempPath(), "pz-bench-outbox-" + Environment.ProcessId);
    }

    [Benchmark]
    public int AnalyzeGsmSms() => SmsAnalyzer.Analyze(_smsGsm).Segments;

    [Benchmark]
    public int AnalyzeUnicodeSms() => SmsAnalyzer.Analyze(_smsUnicode).Segments;

    [Benchmark]
    public string CreateIdempotencyKey() => IdempotencyKey.Create("campaign:2026-03", "c-42", "spring-sale", SendAt);

    [Benchmark]
    public string CreateToken() => _tokens.Create(_customerIds[_next++ & 7], "unsubscribe:email:marketing", SendAt);

    [Benchmark]
    public OutgoingMessage ComposeMarketingEmail() => _composer.Email(_requests[_next++ & 7], _email);

    [Benchmark]
    public int WriteMime()
    {
        _buffer.ResetWrittenCount();
        MimeEmailWriter.Write(_message, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = OutboxSms)]
    public async Task<int> FileOutboxSmsPerMessage() => await WriteOutbox(_smsMessages);

    [Benchmark(OperationsPerInvoke = OutboxEmails)]
    public async Task<int> FileOutboxEmailPerMessage() => await WriteOutbox(_emailMessages);

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_outboxRoot))
        {
            Directory.Delete(_outboxRoot, recursive: true);
        }
    }

    private async Task<int> WriteOutbox(OutgoingMessage[] messages)
    {
        // A fresh outbox per invocation (otherwise every key is already held and skipped).
        var directory = Path.Combine(_outboxRoot, Guid.NewGuid().ToString("N"));
        using (var sink = new FileOutboxSink(directory))
        {
            foreach (var message in messages)
            {
                await sink.WriteAsync(message);
            }
        }

        Directory.Delete(directory, recursive: true);
        return messages.Length;
    }

    [Benchmark]
    public async Task<int> WriteBatchToNullSink() => (await _nullWriter.WriteAsync([_message, _message, _message])).Written;
}

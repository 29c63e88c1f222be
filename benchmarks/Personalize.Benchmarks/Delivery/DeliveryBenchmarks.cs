using System.Buffers;
using BenchmarkDotNet.Attributes;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Email;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;
using Personalize.Delivery.Sms;

namespace Personalize.Benchmarks.Delivery;

/// <summary>The per-recipient costs of delivery: SMS analysis, idempotency key, composing and writing an email, a token.</summary>
[MemoryDiagnoser]
public class DeliveryBenchmarks
{
    private static readonly DateTimeOffset SendAt = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private MessageComposer _composer = null!;
    private SignedTokenService _tokens = null!;
    private DeliveryRequest _request = null!;
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
    }

    [Benchmark]
    public int AnalyzeGsmSms() => SmsAnalyzer.Analyze(_smsGsm).Segments;

    [Benchmark]
    public int AnalyzeUnicodeSms() => SmsAnalyzer.Analyze(_smsUnicode).Segments;

    [Benchmark]
    public string CreateIdempotencyKey() => IdempotencyKey.Create("campaign:2026-03", "c-42", "spring-sale", SendAt);

    [Benchmark]
    public string CreateToken() => _tokens.Create("c-42", "unsubscribe:email:marketing", SendAt);

    [Benchmark]
    public OutgoingMessage ComposeMarketingEmail() => _composer.Email(_request, _email);

    [Benchmark]
    public int WriteMime()
    {
        _buffer.ResetWrittenCount();
        MimeEmailWriter.Write(_message, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public async Task<int> WriteBatchToNullSink() => (await _nullWriter.WriteAsync([_message, _message, _message])).Written;
}

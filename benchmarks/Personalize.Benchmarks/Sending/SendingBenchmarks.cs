using System.Buffers;
using BenchmarkDotNet.Attributes;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// Rendering and the send run: the 5 KB marketing email (10 personalised fields, a 6-item loop) as one template and
/// as a whole composed message, and the end-to-end run over 100,000 customers (decide + render email or SMS +
/// compose, into <see cref="NullSink"/>). The run benchmark reports time per customer (OperationsPerInvoke); every
/// customer gets exactly one message, so messages per second = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
public class SendingBenchmarks
{
    public const int RunCustomers = 100_000;
    public const int SmallRunCustomers = 10_000;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private SendingScenario _scenario = null!;
    private Template _html = null!;
    private MessageDefinition _message = null!;
    private SendRunner _runner = null!;
    private SendRun _run = null!;
    private object _model = null!;

    /// <summary>Gets or sets the run's workers (MaxDegreeOfParallelism); 0 means the default (the core count).</summary>
    [Params(0, 1)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        _scenario.Content.TryGet("spring-sale/email", out var email);
        email!.TryGetPart("html", out var html);
        _html = html!;
        _message = _scenario.Catalog.Find("spring-sale")!;
        _runner = _scenario.Runner(NullSink.Instance, Workers == 0 ? null : Workers);
        _run = new SendRun(_scenario.Catalog, _scenario.Content, _scenario.Trigger) { At = _scenario.At };
        _model = Personalize.Sending.Model.ModelFactory.Create(_scenario.Renderer, _scenario.Pool[0], _message, Channel.Email, _run.Trigger.ToString(), _scenario.At);

        // The run benchmark's figure is per message only if every customer gets exactly one message.
        var check = _runner.RunAsync(_run, _scenario.Stream(2000)).GetAwaiter().GetResult();
        if (check.Messages != 2000 || check.Totals.Errors != 0
            || check.Totals.Sent.GetValueOrDefault("email") != 1000 || check.Totals.Sent.GetValueOrDefault("sms") != 1000)
        {
            throw new InvalidOperationException($"Scenario check failed: {check.Messages} messages ({string.Join(", ", check.Totals.Sent)}), {check.Totals.Errors} errors for 2000 customers; expected 1000 emails and 1000 SMS.");
        }

        _html.RenderUtf8(_buffer, _model);
        if (_buffer.WrittenCount is < 4500 or > 6500)
        {
            throw new InvalidOperationException($"The marketing email renders {_buffer.WrittenCount} bytes; expected about 5 KB.");
        }
    }

    [Benchmark(Description = "5 KB marketing email, HTML part only (UTF-8)")]
    public int RenderEmailHtml()
    {
        _buffer.ResetWrittenCount();
        _html.RenderUtf8(_buffer, _model);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "5 KB marketing email, all parts rendered and composed")]
    public object RenderEmailMessage()
        => _scenario.Renderer.Render(_scenario.Content, _scenario.Pool[1], _message, Channel.Email, "spring-sale/email", "campaign:spring_sale", _scenario.At);

    [Benchmark(Description = "send run, 100k customers, email + SMS into NullSink (per customer = per message)", OperationsPerInvoke = RunCustomers)]
    public long SendRun100k() => _runner.RunAsync(_run, _scenario.Stream(RunCustomers)).GetAwaiter().GetResult().Messages;

    // The same run over a tenth of the customers: with flat memory, Allocated per message matches SendRun100k.
    [Benchmark(Description = "send run, 10k customers, email + SMS into NullSink (per customer = per message)", OperationsPerInvoke = SmallRunCustomers)]
    public long SendRun10k() => _runner.RunAsync(_run, _scenario.Stream(SmallRunCustomers)).GetAwaiter().GetResult().Messages;
}

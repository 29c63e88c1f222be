using System.Text;
using BenchmarkDotNet.Attributes;
using Personalize.Benchmarks.Sending;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Profiling;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// Rendering one message of the question benchmark's send run (<see cref="ProfilingBenchmarks"/>: the 5 KB marketing
/// email with a text part, or the SMS), with and without a question: <c>none</c> (no bank, the templates'
/// <c>question</c> blocks are skipped) and <c>chosen</c> (the same 6-question bank; the email's text part shows the
/// question's id and text, the SMS its text and the first answer's reply keyword). What the question costs a render:
/// choosing it, the template blocks that show it and the longer output. Each invocation renders 30 customers of whom a
/// third answered the best question and a third were asked it lately (as in the send run), per message.
/// </summary>
[MemoryDiagnoser]
public class QuestionRenderBenchmarks
{
    /// <summary>Customers rendered per invocation.</summary>
    internal const int Customers = 30;

    private SendingScenario _scenario = null!;
    private CustomerProfile[] _customers = null!;
    private MessageDefinition _message = null!;

    /// <summary>Gets or sets the case: <c>none</c> or <c>chosen</c>.</summary>
    [Params("none", "chosen")]
    public string Questions { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        var bank = Questions == "none" ? null : QuestionBankJson.Read(Encoding.UTF8.GetBytes(ProfilingBenchmarks.BankJson));
        _scenario = new SendingScenario(questions: bank, emailPart: ProfilingBenchmarks.EmailPart, smsPart: ProfilingBenchmarks.SmsPart);
        ProfilingBenchmarks.MarkAnswersAndAsks(_scenario);
        _customers = _scenario.Stream(Customers).ToArray();
        _message = _scenario.Catalog.Find("spring-sale")!;
        var sms = Sms();
        var email = Email();
        if ((bank is null) != (email.QuestionId is null) || (bank is null) != (sms.QuestionId is null))
        {
            throw new InvalidOperationException($"Scenario check failed: the last messages carry questions '{email.QuestionId}' and '{sms.QuestionId}' with {(bank is null ? "no bank" : "a bank")}.");
        }
    }

    /// <summary>The email (subject, preheader, HTML and text part) for one customer.</summary>
    /// <returns>The last message.</returns>
    [Benchmark(Description = "render email (per message)", OperationsPerInvoke = Customers)]
    public OutgoingMessage Email() => RenderAll(Channel.Email, "spring-sale/email");

    /// <summary>The SMS for one customer.</summary>
    /// <returns>The last message.</returns>
    [Benchmark(Description = "render SMS (per message)", OperationsPerInvoke = Customers)]
    public OutgoingMessage Sms() => RenderAll(Channel.Sms, "spring-sale/sms");

    /// <summary>
    /// The email and the SMS alternately, customer by customer (as the send run renders them): with <see cref="Email"/>
    /// and <see cref="Sms"/>, shows whether the question costs more when the two renders interleave than each alone.
    /// </summary>
    /// <returns>The last message.</returns>
    [Benchmark(Description = "render email and SMS alternately (per message)", OperationsPerInvoke = Customers)]
    public OutgoingMessage Mixed()
    {
        OutgoingMessage last = null!;
        for (var i = 0; i < _customers.Length; i++)
        {
            last = (i & 1) == 0
                ? _scenario.Renderer.Render(_scenario.Content, _customers[i], _message, Channel.Email, "spring-sale/email", "campaign:spring_sale", _scenario.At)
                : _scenario.Renderer.Render(_scenario.Content, _customers[i], _message, Channel.Sms, "spring-sale/sms", "campaign:spring_sale", _scenario.At);
        }

        return last;
    }

    private OutgoingMessage RenderAll(Channel channel, string template)
    {
        OutgoingMessage last = null!;
        foreach (var customer in _customers)
        {
            last = _scenario.Renderer.Render(_scenario.Content, customer, _message, channel, template, "campaign:spring_sale", _scenario.At);
        }

        return last;
    }
}

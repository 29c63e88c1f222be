using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.DirectMail;
using Personalize.Channels.Email;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Channels.Sms;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Sending.Model;
using Personalize.Templates;

namespace Personalize.Sending;

/// <summary>
/// Renders a decided message into a ready-to-send <see cref="OutgoingMessage"/>: builds the template model once
/// (customer, message, brand, links with signed tokens, the why-you-get-this sentence), renders each compiled part
/// as UTF-8 into a pooled per-thread buffer in the customer's culture and time zone, and composes the result with
/// <see cref="MessageComposer"/>. Never parses a template. Thread-safe.
/// </summary>
public sealed class MessageRenderer
{
    private const int MaxPooledBuffer = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private static readonly FromUtf8<object?, string> ToText = static (utf8, _) => Encoding.UTF8.GetString(utf8);

    // An email body: an array of its own, or one of the run's pool (given back after the hand-over).
    private static readonly FromUtf8<BodyBufferPool?, ReadOnlyMemory<byte>> ToBody = static (utf8, pool) =>
    {
        if (pool is null || utf8.IsEmpty)
        {
            return utf8.ToArray();
        }

        var array = pool.Rent(utf8.Length);
        utf8.CopyTo(array);
        return new ReadOnlyMemory<byte>(array, 0, utf8.Length);
    };

    // An SMS body with its opt-out line, made once from the trimmed UTF-8.
    private static readonly FromUtf8<(MessageComposer Composer, ContactPurpose Purpose), string> ToSms = static (utf8, sms) => sms.Composer.FinalSmsBody(utf8, sms.Purpose);

    // A short part (subject, preheader, sender name, push title): the thread's last text of the same part when the bytes
    // are the same (a constant preheader renders the same text for every recipient), else a new string.
    private static readonly FromUtf8<Template, string> ToRepeatedText = static (utf8, template) => RepeatedTexts.Get(template, utf8);

    private static readonly ConcurrentDictionary<string, CultureInfo> Cultures = new(StringComparer.OrdinalIgnoreCase);
    private readonly MessageComposer _composer;
    private readonly ChannelRegistry _channels;
    private readonly string _fromAddress;
    private readonly BrandInfo _brand;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the renderer.</summary>
    /// <param name="composer">Composes the rendered parts into messages (and supplies the signed links).</param>
    /// <param name="reasons">Writes the why-you-get-this sentence.</param>
    /// <param name="channels">The channel registry (host channels reach the contact point their definition names).</param>
    /// <param name="delivery">The delivery options (the sender address).</param>
    /// <param name="options">The sending options (the brand).</param>
    /// <param name="timeProvider">The clock templates read through <c>date.now</c>.</param>
    public MessageRenderer(MessageComposer composer, ConsentReasons reasons, ChannelRegistry channels, DeliveryOptions delivery, SendingOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _composer = composer;
        Reasons = reasons;
        _channels = channels;
        _fromAddress = delivery.FromAddress ?? throw new ArgumentException("DeliveryOptions.FromAddress is required.", nameof(delivery));
        _brand = options.Brand ?? new BrandInfo();
        Questions = options.Questions;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the writer of why-you-get-this sentences.</summary>
    public ConsentReasons Reasons { get; }

    internal DeliveryLinks Links => _composer.Links;

    internal BrandInfo Brand => _brand;

    /// <summary>The progressive-profiling questions, or <see langword="null"/>.</summary>
    internal Profiling.QuestionBank? Questions { get; }

    /// <summary>Renders a decision's winner.</summary>
    /// <param name="content">The compiled content of the catalog.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="winner">One of its winners.</param>
    /// <param name="cancellationToken">Stops a long render.</param>
    /// <returns>The message, ready for a sink.</returns>
    /// <exception cref="MessageTemplateException">The winner's template reference was not compiled.</exception>
    /// <exception cref="TemplateRuntimeException">A template failed; the exception carries the file, line and column.</exception>
    /// <exception cref="MessageContentException">The rendered content cannot go out (too long an SMS, no contact point, …).</exception>
    public OutgoingMessage Render(CompiledTemplates content, Decision decision, DecisionWinner winner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return Render(content, decision.Customer, winner.Message, winner.Channel, winner.Template, decision.Trigger.ToString(), winner.SendAt, decision.Event, cancellationToken);
    }

    /// <summary>Renders one message for one customer on one channel.</summary>
    /// <param name="content">The compiled content of the catalog.</param>
    /// <param name="customer">The recipient.</param>
    /// <param name="message">The catalog message.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="templateReference">The template reference (for example <c>welcome/email</c>).</param>
    /// <param name="trigger">The trigger, as text (part of the idempotency key).</param>
    /// <param name="sendAt">The send instant (part of the idempotency key).</param>
    /// <param name="cancellationToken">Stops a long render.</param>
    /// <returns>The message.</returns>
    /// <exception cref="MessageTemplateException">The reference was not compiled.</exception>
    /// <exception cref="TemplateRuntimeException">A template failed; the exception carries the file, line and column.</exception>
    /// <exception cref="MessageContentException">The rendered content cannot go out.</exception>
    public OutgoingMessage Render(CompiledTemplates content, CustomerProfile customer, MessageDefinition message, Channel channel, string templateReference, string trigger, DateTimeOffset sendAt, CancellationToken cancellationToken = default)
        => Render(content, customer, message, channel, templateReference, trigger, sendAt, null, cancellationToken);

    /// <summary>Renders one message of an event-triggered decision: templates see the event as <c>event.*</c>.</summary>
    /// <param name="content">The compiled content of the catalog.</param>
    /// <param name="customer">The recipient.</param>
    /// <param name="message">The catalog message.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="templateReference">The template reference (for example <c>order-shipped/sms</c>).</param>
    /// <param name="trigger">The trigger, as text (part of the idempotency key).</param>
    /// <param name="sendAt">The send instant (part of the idempotency key).</param>
    /// <param name="event">The event, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops a long render.</param>
    /// <returns>The message.</returns>
    /// <exception cref="MessageTemplateException">The reference was not compiled.</exception>
    /// <exception cref="TemplateRuntimeException">A template failed; the exception carries the file, line and column.</exception>
    /// <exception cref="MessageContentException">The rendered content cannot go out.</exception>
    public OutgoingMessage Render(CompiledTemplates content, CustomerProfile customer, MessageDefinition message, Channel channel, string templateReference, string trigger, DateTimeOffset sendAt, Events.CustomerEvent? @event, CancellationToken cancellationToken)
        => Render(content, customer, message, channel, templateReference, trigger, sendAt, @event, null, IdempotencyKey.DefaultFormat, cancellationToken);

    /// <summary>
    /// Renders one message, its email bodies into arrays of <paramref name="bodies"/> when given (a send run whose sink
    /// declares <see cref="Delivery.Sinks.IMessageSink.ReleasesMessageAfterWrite"/> gives them back after the hand-over
    /// with <see cref="EmailContent.ReleaseBodies"/>), else into arrays of the message's own.
    /// </summary>
    internal OutgoingMessage Render(CompiledTemplates content, CustomerProfile customer, MessageDefinition message, Channel channel, string templateReference, string trigger, DateTimeOffset sendAt, Events.CustomerEvent? @event, BodyBufferPool? bodies, IdempotencyKeyFormat keyFormat, CancellationToken cancellationToken, string? keyTag = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(templateReference);
        if (!content.TryGet(templateReference, out var template))
        {
            throw new MessageTemplateException($"No compiled content '{templateReference}' for message '{message.Id}' on {channel}; compile the catalog's content with MessageTemplates.Compile and fix its diagnostics.");
        }

        var request = new DeliveryRequest(customer, message.Id, trigger, message.Purpose, sendAt) { Event = @event, KeyFormat = keyFormat, KeyTag = keyTag };
        var model = new TemplateModel(this, request, message, channel, _brand);
        var render = new RenderOptions
        {
            Culture = CultureOf(customer.Language),
            TimeZone = customer.TimeZone,
            TimeProvider = _timeProvider,
            CancellationToken = cancellationToken,
            StrictVariables = message.StrictTemplates,
        };
        var outgoing = Compose(template, model, render, request, channel, bodies);
        if (model.AskedQuestion is { } asked)
        {
            outgoing.SetQuestion(asked.Id, asked.AskedFact);
        }

        return outgoing;
    }

    private OutgoingMessage Compose(ChannelTemplate template, TemplateModel model, RenderOptions render, DeliveryRequest request, Channel channel, BodyBufferPool? bodies)
    {
        var parts = template.Parts;
        switch (template.Shape)
        {
            case ContentShape.Email:
                {
                    var fromName = Optional(parts[EmailParts.From], model, render);
                    var replyTo = Optional(parts[EmailParts.ReplyTo], model, render);
                    var subject = Required(parts[EmailParts.Subject]!, model, render);
                    var preheader = Optional(parts[EmailParts.Preheader], model, render);
                    ReadOnlyMemory<byte>? htmlBody = parts[EmailParts.Html] is { } html ? Body(html, model, render, trim: false, bodies) : null;

                    // The text part stays UTF-8 like the HTML part (half the memory of a string, no decode unless read).
                    var email = new EmailContent
                    {
                        From = fromName is null ? _composer.DefaultFrom : new EmailAddress(_fromAddress, fromName),
                        ReplyTo = replyTo is null ? _composer.DefaultReplyTo : new EmailAddress(replyTo),
                        Subject = subject,
                        Preheader = preheader,
                        HtmlBodyUtf8 = htmlBody,
                        TextBody = string.Empty,
                        TextBodyUtf8 = Body(parts[EmailParts.Text]!, model, render, trim: true, bodies),
                        BodyPool = bodies,
                    };
                    var headers = parts[EmailParts.Headers] is { } h ? Pairs(Render(h, model, render, trim: false, ToText)) : null;
                    return _composer.Email(request, email, headers);
                }

            case ContentShape.Sms:
                // The body with the opt-out line made once from the rendered bytes (the composer finds it final).
                return _composer.Sms(request, SmsBody(parts[SmsParts.Body]!, model, render, request.Purpose));
            case ContentShape.Push:
                {
                    var data = parts[PushParts.Data] is { } d ? Pairs(Render(d, model, render, trim: false, ToText)) : null;
                    var push = new PushContent
                    {
                        Title = Required(parts[PushParts.Title]!, model, render),
                        Body = Required(parts[PushParts.Body]!, model, render),
                        DeepLink = Optional(parts[PushParts.Link], model, render),
                    };
                    if (data is { Count: > 0 })
                    {
                        var map = new Dictionary<string, string>(data.Count, StringComparer.Ordinal);
                        foreach (var pair in data)
                        {
                            map[pair.Key] = pair.Value;
                        }

                        push = push with { Data = map };
                    }

                    return _composer.Push(request, push);
                }

            case ContentShape.InApp:
                return _composer.InApp(request, new InAppContent
                {
                    Title = Required(parts[InAppParts.Title]!, model, render),
                    Body = Required(parts[InAppParts.Body]!, model, render),
                    ActionUrl = Optional(parts[InAppParts.Link], model, render),
                    ActionLabel = Optional(parts[InAppParts.Action], model, render),
                });
            case ContentShape.Letter:
                return _composer.Letter(request, Required(parts[LetterParts.Body]!, model, render), model.Customer.FullName());
            case ContentShape.Call:
                return _composer.Call(request, new CallScriptContent
                {
                    Greeting = Required(parts[CallScriptParts.Greeting]!, model, render),
                    TalkingPoints = Lines(Render(parts[CallScriptParts.Points]!, model, render, trim: false, ToText)),
                    Question = Optional(parts[CallScriptParts.Question], model, render),
                });
            default:
                return _composer.Text(request, channel, _channels.TryGet(channel, out var definition) ? definition.ContactPoint : ContactPointKind.None, Required(parts[TextParts.Body]!, model, render));
        }
    }

    private string SmsBody(Template template, TemplateModel model, RenderOptions options, ContactPurpose purpose)
        => Render(template, model, options, trim: true, (_composer, purpose), ToSms);

    /// <summary>The thread's render buffer (taken, so a nested render gets its own), or a new one.</summary>
    private static ArrayBufferWriter<byte> TakeBuffer()
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(4096);
        t_buffer = null;
        return buffer;
    }

    /// <summary>Keeps a render buffer for the thread's next render, unless it grew past <see cref="MaxPooledBuffer"/>.</summary>
    private static void GiveBack(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxPooledBuffer)
        {
            buffer.ResetWrittenCount();
            t_buffer = buffer;
        }
    }

    /// <summary>Renders an email body as UTF-8: into an array of its own, or into one of the run's <paramref name="pool"/> (given back after the hand-over).</summary>
    private static ReadOnlyMemory<byte> Body(Template template, TemplateModel model, RenderOptions options, bool trim, BodyBufferPool? pool)
        => Render(template, model, options, trim, pool, ToBody);

    private static string Required(Template template, TemplateModel model, RenderOptions options) => Render(template, model, options, trim: true, template, ToRepeatedText);

    private static string? Optional(Template? template, TemplateModel model, RenderOptions options)
    {
        if (template is null)
        {
            return null;
        }

        var text = Render(template, model, options, trim: true, template, ToRepeatedText);
        return text.Length == 0 ? null : text;
    }

    /// <summary>Valid UTF-8 without the white space <see cref="string.Trim()"/> removes (every such character is in the BMP).</summary>
    internal static ReadOnlySpan<byte> TrimWhiteSpace(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty && Rune.DecodeFromUtf8(utf8, out var rune, out var length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
        {
            utf8 = utf8[length..];
        }

        while (!utf8.IsEmpty && Rune.DecodeLastFromUtf8(utf8, out var rune, out var length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
        {
            utf8 = utf8[..^length];
        }

        return utf8;
    }

    /// <summary>
    /// Renders a part as UTF-8 into this thread's pooled buffer and converts the bytes, trimmed first when asked exactly as
    /// <see cref="string.Trim()"/> trims text (the engine writes valid UTF-8: text through <see cref="Encoding.UTF8"/>,
    /// which replaces lone surrogates, and JSON strings only after checking them).
    /// </summary>
    private static T Render<T>(Template template, TemplateModel model, RenderOptions options, bool trim, FromUtf8<object?, T> convert)
        => Render(template, model, options, trim, null, convert);

    /// <summary>As <see cref="Render{T}"/>, the conversion given <paramref name="state"/> (a static delegate: nothing allocated per call).</summary>
    private static T Render<TState, T>(Template template, TemplateModel model, RenderOptions options, bool trim, TState state, FromUtf8<TState, T> convert)
    {
        var buffer = TakeBuffer();
        try
        {
            template.RenderUtf8(buffer, model, options);
            var written = buffer.WrittenSpan;
            return convert(trim ? TrimWhiteSpace(written) : written, state);
        }
        finally
        {
            GiveBack(buffer);
        }
    }

    private static List<KeyValuePair<string, string>> Pairs(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            if (value.Length > 0)
            {
                pairs.Add(new(line[..colon].Trim(), value));
            }
        }

        return pairs;
    }

    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            {
                line = line[2..].Trim();
            }

            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static CultureInfo CultureOf(string? language)
    {
        if (string.IsNullOrEmpty(language))
        {
            return CultureInfo.InvariantCulture;
        }

        return Cultures.GetOrAdd(language, static name =>
        {
            try
            {
                return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                return CultureInfo.InvariantCulture;
            }
        });
    }

    /// <summary>Turns rendered UTF-8 (valid for the call only) into a part's value.</summary>
    private delegate T FromUtf8<in TState, out T>(ReadOnlySpan<byte> utf8, TState state);
}

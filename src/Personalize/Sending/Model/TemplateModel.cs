using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Sending.Model;

/// <summary>
/// The root a content template sees: <c>customer</c>, <c>message</c>, <c>brand</c>, <c>links</c>, <c>why</c>,
/// <c>channel</c>, <c>send_at</c>. Built once per rendered message; <c>message</c>, <c>links</c> (and each link) and
/// the why-sentence are made only when a template reads them.
/// </summary>
internal sealed class TemplateModel
{
    private readonly MessageRenderer _renderer;
    private readonly Delivery.DeliveryRequest _request;
    private string? _why;
    private Events.EventModel? _event;
    private Profiling.QuestionView? _question;
    private bool _questionChosen;
    private readonly Catalog.MessageDefinition _message;
    private readonly Channel _channel;
    private MessageView? _messageView;
    private LinksView? _links;

    public TemplateModel(MessageRenderer renderer, Delivery.DeliveryRequest request, Catalog.MessageDefinition message, Channel channel, BrandInfo brand)
    {
        _renderer = renderer;
        _request = request;
        _message = message;
        _channel = channel;
        Customer = new CustomerModel(request.Customer, request.SendAt, personalFieldsVisible: request.Customer.AllowsPersonalization);
        Brand = brand;
        TopicName = message.Topics.Count > 0 ? message.Topics[0] : null;
    }

    public CustomerModel Customer { get; }

    /// <summary><c>message.*</c>, made when a template first reads it (one object per model).</summary>
    public MessageView Message => _messageView ??= new MessageView(_message, _channel, _request.Trigger, _request.SendAt);

    public BrandInfo Brand { get; }

    /// <summary><c>links.*</c>, made when a template first reads it (one object per model; each link made when read).</summary>
    public LinksView Links => _links ??= new LinksView(_renderer, _request, _channel, TopicName);

    public string Channel => _channel.Name ?? string.Empty;

    public DateTimeOffset SendAt => _request.SendAt;

    /// <summary><c>event.*</c>: the event of an event-triggered message (id, type, occurred_at, data), or null.</summary>
    public Events.EventModel? Event => _request.Event is { } e ? _event ??= new Events.EventModel(e) : null;

    /// <summary>
    /// <c>question.*</c>: the progressive-profiling question this message carries, chosen when a template first reads it
    /// (so a message whose templates never show a question asks nothing), or null (no bank, an ask message, nothing fits).
    /// </summary>
    public Profiling.QuestionView? Question
    {
        get
        {
            if (!_questionChosen)
            {
                _questionChosen = true;
                if (_renderer.Questions is { } bank
                    && bank.Choose(_request.Customer, _message.Kind, _channel, _request.SendAt, null, _request.Trigger, _request.MessageId, _request.KeyTag) is { } chosen)
                {
                    _question = new Profiling.QuestionView(_renderer, _request, chosen);
                }
            }

            return _question;
        }
    }

    /// <summary>The question a template showed (its id and its <c>asked.ID</c> fact's name), or <see langword="null"/>.</summary>
    internal Profiling.QuestionView? AskedQuestion => _question;

    /// <summary>The "why you get this" sentence from the customer's own consent record.</summary>
    public string Why => _why ??= _renderer.Reasons.Explain(_request.Customer, _channel, _request.Purpose, TopicName);

    private string? TopicName { get; }
}

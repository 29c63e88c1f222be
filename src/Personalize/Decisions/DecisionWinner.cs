using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>A message that goes out: which, on which channel with which template, when, and its score.</summary>
public readonly struct DecisionWinner
{
    private readonly long _sendAtTicks;

    internal DecisionWinner(MessageDefinition message, MessageChannel content, long sendAtTicks, bool isDeferred, double score)
    {
        Message = message;
        Content = content;
        _sendAtTicks = sendAtTicks;
        IsDeferred = isDeferred;
        Score = score;
    }

    /// <summary>The message id.</summary>
    public string MessageId => Message.Id;

    /// <summary>The message.</summary>
    public MessageDefinition Message { get; }

    /// <summary>The channel and its template.</summary>
    public MessageChannel Content { get; }

    /// <summary>The channel.</summary>
    public Channel Channel => Content.Channel;

    /// <summary>The template that renders it on the channel.</summary>
    public string Template => Content.Template;

    /// <summary>When it goes: the decision instant, or a later one when deferred.</summary>
    public DateTimeOffset SendAt => new(_sendAtTicks, TimeSpan.Zero);

    /// <summary>Whether it is deferred to <see cref="SendAt"/>.</summary>
    public bool IsDeferred { get; }

    /// <summary>The arbitration score.</summary>
    public double Score { get; }

    /// <summary>
    /// The contact-history record to append once the message was sent (at <see cref="SendAt"/>), so later decisions
    /// count it toward caps and give-before-ask.
    /// </summary>
    /// <returns>The record.</returns>
    public ContactRecord ToContactRecord() => new()
    {
        MessageId = Message.Id,
        Channel = Channel,
        Purpose = Message.Purpose,
        Kind = Message.Kind,
        SentAt = SendAt,
    };

    /// <summary>For example <c>order-shipped on sms at 2026-03-15T09:00:00Z</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{MessageId} on {Channel} at {SendAt:O}{(IsDeferred ? " (deferred)" : string.Empty)}";
}

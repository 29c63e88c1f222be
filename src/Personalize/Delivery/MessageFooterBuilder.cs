using Personalize.Channels;
using Personalize.Delivery.Security;

namespace Personalize.Delivery;

/// <summary>
/// Builds the <see cref="MessageFooter"/> of a send: signed links whose lifetime counts from the send instant and
/// the "why you get this" sentence. It uses consent evidence and the customer id only, never personal fields, so it
/// is safe to show without personalization consent. Thread-safe.
/// </summary>
public sealed class MessageFooterBuilder
{
    /// <summary>Creates the builder.</summary>
    /// <param name="links">The link builder.</param>
    /// <param name="reasons">The "why you get this" writer.</param>
    public MessageFooterBuilder(DeliveryLinks links, ConsentReasons reasons)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(reasons);
        Links = links;
        Reasons = reasons;
    }

    /// <summary>The link builder.</summary>
    public DeliveryLinks Links { get; }

    /// <summary>The "why you get this" writer.</summary>
    public ConsentReasons Reasons { get; }

    /// <summary>Builds the footer of a send on a channel.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="channel">The channel the message goes out on.</param>
    /// <param name="topic">The message's topic, if any.</param>
    /// <returns>The footer.</returns>
    public MessageFooter Build(DeliveryRequest request, Channel channel, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Customer.Id;
        return new MessageFooter(
            Links.PreferenceCenter(id, request.SendAt),
            MessageComposer.NeedsOptOut(request.Purpose) ? Links.Unsubscribe(id, channel, request.Purpose, request.SendAt) : null,
            Reasons.Explain(request.Customer, channel, request.Purpose, topic));
    }
}

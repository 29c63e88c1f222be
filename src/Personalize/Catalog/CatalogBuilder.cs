using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>Builds a <see cref="MessageCatalog"/> fluently in C#.</summary>
/// <example>
/// <code>
/// var catalog = MessageCatalog.CreateBuilder()
///     .Add("order-shipped", m => m.Service().OnEvent("order_shipped").Channel(Channel.Sms, "order-shipped/sms"))
///     .Add("gardening-tips", m => m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email"))
///     .Build();
/// </code>
/// </example>
public sealed class CatalogBuilder
{
    private readonly List<MessageDefinition> _messages = [];

    internal CatalogBuilder()
    {
    }

    /// <summary>Adds a message.</summary>
    /// <param name="id">The message id.</param>
    /// <param name="configure">Configures the message.</param>
    /// <returns>This builder.</returns>
    public CatalogBuilder Add(string id, Action<MessageBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new MessageBuilder(id);
        configure(builder);
        _messages.Add(builder.Build());
        return this;
    }

    /// <summary>Adds a message definition as is.</summary>
    /// <param name="message">The message.</param>
    /// <returns>This builder.</returns>
    public CatalogBuilder Add(MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages.Add(message);
        return this;
    }

    /// <summary>Builds the catalog (not yet validated: call <see cref="MessageCatalog.Validate"/> or <see cref="MessageCatalog.Compile"/>).</summary>
    /// <returns>The catalog.</returns>
    public MessageCatalog Build() => new(_messages);
}

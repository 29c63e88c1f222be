namespace Personalize;

/// <summary>Whether a message gives the customer something or asks something of them (reciprocity of value).</summary>
public enum MessageKind
{
    /// <summary>Content, offer, thank-you, service update, gift.</summary>
    Give = 0,

    /// <summary>Survey, review request, upsell, preference question.</summary>
    Ask = 1,
}

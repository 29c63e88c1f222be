namespace Personalize.Delivery;

/// <summary>
/// The transparency parts of a message for the template model: the preference-center link, the one-click unsubscribe
/// link (none for service messages) and the "why you get this" sentence. Made by <see cref="MessageFooterBuilder"/>.
/// </summary>
/// <param name="PreferenceCenterUrl">The preference-center link with a signed token.</param>
/// <param name="UnsubscribeUrl">The one-click unsubscribe link with a signed token; <see langword="null"/> for service messages.</param>
/// <param name="WhyYouGetThis">The sentence drawn from the customer's consent record, or neutral wording.</param>
public sealed record MessageFooter(string PreferenceCenterUrl, string? UnsubscribeUrl, string WhyYouGetThis);

namespace Personalize.AspNetCore;

/// <summary>
/// The named errors of the preference-center endpoints. Each is shown on a plain page (or, for the JSON API, as
/// <c>{"error": code, "message": …}</c>) with the status code given here; none leaks whether a customer exists.
/// </summary>
public static class PreferenceCenterCodes
{
    /// <summary>403: the link's token is missing, malformed, forged or signed with a key no longer accepted.</summary>
    public const string TokenInvalid = "token.invalid";

    /// <summary>403: the link's token has expired.</summary>
    public const string TokenExpired = "token.expired";

    /// <summary>403: a single-use link (a double opt-in confirmation) that was used already. Same page as an invalid token.</summary>
    public const string TokenUsed = "token.used";

    /// <summary>403: the token is genuine but for another purpose (for example an unsubscribe token on the preference page).</summary>
    public const string TokenWrongScope = "token.wrong_scope";

    /// <summary>403: the token is genuine but its customer is not in the store (erased, for example). Same page as an invalid token.</summary>
    public const string CustomerNotFound = "customer.not_found";

    /// <summary>400: a form post without a valid antiforgery token (cross-site request forgery, or an expired form).</summary>
    public const string CsrfInvalid = "csrf.invalid";

    /// <summary>429: too many requests from one client; the response carries <c>Retry-After</c>.</summary>
    public const string RateLimited = "rate_limit.exceeded";

    /// <summary>413: the request body is larger than <see cref="PreferenceCenterOptions.MaxRequestBodyBytes"/>.</summary>
    public const string RequestTooLarge = "request.too_large";

    /// <summary>400: the form has more fields, or longer values, than <see cref="PreferenceCenterOptions.MaxFormFields"/> allows.</summary>
    public const string FormTooLarge = "request.form_too_large";

    /// <summary>415: the body is not of the media type the endpoint reads (a form, or JSON for the API).</summary>
    public const string UnsupportedMediaType = "request.unsupported_media_type";

    /// <summary>400: a field has a value the page never offers (a time that is not HH:mm, an unknown channel, …); the message names the field.</summary>
    public const string FieldInvalid = "request.field_invalid";

    /// <summary>400: an unsubscribe <c>POST</c> whose body is not <c>List-Unsubscribe=One-Click</c> (RFC 8058).</summary>
    public const string OneClickBodyMissing = "unsubscribe.one_click_body_missing";

    /// <summary>410: the double opt-in was not confirmed within the pending expiry; the customer must ask again.</summary>
    public const string ConfirmationExpired = "confirmation.expired";

    /// <summary>409: the double opt-in request was withdrawn after it was made; a confirmation does not re-subscribe.</summary>
    public const string ConfirmationWithdrawn = "confirmation.withdrawn_since_request";

    /// <summary>404: the confirmation link names no pending request of this customer (erased, or never made).</summary>
    public const string ConfirmationUnknown = "confirmation.unknown";

    /// <summary>503: the store kept refusing the write because the customer changed meanwhile; trying again usually works.</summary>
    public const string Conflict = "store.conflict";
}

using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Personalize.Consent;
using Personalize.Delivery.Security;

namespace Personalize.AspNetCore;

/// <summary>The request handlers behind <c>app.MapPersonalize()</c>.</summary>
internal sealed partial class PreferenceCenterEndpoints : IDisposable
{
    private const string OneClickField = "List-Unsubscribe";
    private const string OneClickValue = "One-Click";
    private readonly PreferenceCenter _center;
    private readonly IAntiforgery _antiforgery;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly FormOptions _formOptions;
    private readonly Profiling.ProfilingAnswers? _answers;

    public PreferenceCenterEndpoints(PreferenceCenter center, IAntiforgery antiforgery, Profiling.ProfilingAnswers? answers = null)
    {
        _center = center;
        _answers = answers;
        _antiforgery = antiforgery;
        var options = center.Options;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _formOptions = new FormOptions
        {
            ValueCountLimit = options.MaxFormFields,
            ValueLengthLimit = 256,
            KeyLengthLimit = 128,
            MultipartBodyLengthLimit = options.MaxRequestBodyBytes,
            BufferBody = false,
        };
    }

    private PreferenceCenterOptions Options => _center.Options;

    public void Dispose() => _limiter.Dispose();

    // ---- preference page ----

    public Task PageGet(HttpContext context) => Guard(context, false, async () =>
    {
        var (customer, text) = await Customer(context, TokenScopes.Preferences).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        await WritePage(context, customer, text!, null).ConfigureAwait(false);
    });

    public Task PagePost(HttpContext context) => Guard(context, true, async () =>
    {
        var (customer, text) = await Customer(context, TokenScopes.Preferences).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        var form = await Form(context, text!).ConfigureAwait(false);
        if (form is null || !await Antiforgery(context, text!).ConfigureAwait(false))
        {
            return;
        }

        var choices = PreferenceForm.Parse(form, Options, out var field);
        if (field is not null)
        {
            await Error(context, text!, StatusCodes.Status400BadRequest, PreferenceCenterCodes.FieldInvalid, text!.Format(text.ErrorField, field)).ConfigureAwait(false);
            return;
        }

        var result = await _center.ApplyAsync(customer.Id, choices, text!, _center.MethodEvidenceOf(context), context.RequestAborted).ConfigureAwait(false);
        if (!await Applied(context, text!, result.Status).ConfigureAwait(false))
        {
            return;
        }

        var stored = await _center.Store.GetCustomerAsync(customer.Id, context.RequestAborted).ConfigureAwait(false);
        await WritePage(context, stored!.Profile, text!, result.AwaitingConfirmation > 0 ? text!.SavedAwaitingConfirmation : text!.Saved).ConfigureAwait(false);
    });

    // ---- one-click unsubscribe (RFC 8058) ----

    public Task UnsubscribeGet(HttpContext context) => Guard(context, false, async () =>
    {
        var (customer, text, scope) = await UnsubscribeCustomer(context).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        var language = Options.LanguageOf(text!);
        var what = PreferencePage.ScopeText(_center, text!, language, scope);
        await Html(context, StatusCodes.Status200OK, PreferencePage.Question(text!, language, text!.UnsubscribeTitle, text.Format(text.UnsubscribeQuestion, what), SelfUrl(context), text.UnsubscribeButton, [(OneClickField, OneClickValue)])).ConfigureAwait(false);
    });

    public Task UnsubscribePost(HttpContext context) => Guard(context, true, async () =>
    {
        var (customer, text, scope) = await UnsubscribeCustomer(context).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        var form = await Form(context, text!).ConfigureAwait(false);
        if (form is null)
        {
            return;
        }

        if (!string.Equals(form[OneClickField].ToString(), OneClickValue, StringComparison.Ordinal))
        {
            await Error(context, text!, StatusCodes.Status400BadRequest, PreferenceCenterCodes.OneClickBodyMissing, text!.Format(text.ErrorField, OneClickField)).ConfigureAwait(false);
            return;
        }

        var language = Options.LanguageOf(text!);
        var what = PreferencePage.ScopeText(_center, text!, language, scope);
        var status = await _center.WithdrawAsync(customer.Id, scope, text!.Format(text.UnsubscribeQuestion, what), _center.MethodEvidenceOf(context), context.RequestAborted).ConfigureAwait(false);
        if (!await Applied(context, text, status).ConfigureAwait(false))
        {
            return;
        }

        var manage = _center.Tokens.Create(customer.Id, TokenScopes.Preferences);
        await Html(context, StatusCodes.Status200OK, PreferencePage.Message(text, language, text.UnsubscribeTitle, text.Format(text.UnsubscribeDone, what), false, text.ManageLink, PageUrl(context, manage))).ConfigureAwait(false);
    });

    // ---- double opt-in confirmation ----

    public Task ConfirmGet(HttpContext context) => Guard(context, false, () => Confirm(context, write: false));

    public Task ConfirmPost(HttpContext context) => Guard(context, true, () => Confirm(context, write: true));

    private async Task Confirm(HttpContext context, bool write)
    {
        var verification = _center.Tokens.Verify(context.Request.Query["token"].ToString(), TokenScopeNames.ConfirmPrefix);
        if (verification.Status is not (TokenStatus.Valid or TokenStatus.WrongScope)
            || !TokenScopeNames.TryParseConfirm(verification.Scope!, out var scope, out var requestedAt))
        {
            await TokenError(context, verification.Status == TokenStatus.Expired ? PreferenceCenterCodes.TokenExpired : PreferenceCenterCodes.TokenInvalid).ConfigureAwait(false);
            return;
        }

        var stored = await _center.Store.GetCustomerAsync(verification.CustomerId!, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
            return;
        }

        var text = Options.TextFor(stored.Profile.Language);
        var language = Options.LanguageOf(text);
        if (write && !await Antiforgery(context, text).ConfigureAwait(false))
        {
            return;
        }

        var what = PreferencePage.ScopeText(_center, text, language, scope);
        var status = await _center.ConfirmAsync(stored.Id, scope, requestedAt, write, write ? _center.MethodEvidenceOf(context) : null, context.RequestAborted).ConfigureAwait(false);
        switch (status)
        {
            case ConfirmStatus.Confirmable:
                var tokens = _antiforgery.GetAndStoreTokens(context);
                await Html(context, StatusCodes.Status200OK, PreferencePage.Question(text, language, text.ConfirmTitle, text.Format(text.ConfirmQuestion, what), SelfUrl(context), text.ConfirmButton, [(tokens.FormFieldName, tokens.RequestToken!)])).ConfigureAwait(false);
                break;
            case ConfirmStatus.Confirmed:
                await Html(context, StatusCodes.Status200OK, PreferencePage.Message(text, language, text.ConfirmTitle, text.Format(text.ConfirmDone, what), false)).ConfigureAwait(false);
                break;
            case ConfirmStatus.AlreadyConfirmed:
                // Single use: a confirmation link used once is as dead as an expired one, and says no more.
                await TokenError(context, PreferenceCenterCodes.TokenUsed).ConfigureAwait(false);
                break;
            case ConfirmStatus.Expired:
                await Error(context, text, StatusCodes.Status410Gone, PreferenceCenterCodes.ConfirmationExpired, text.ErrorConfirmationExpired).ConfigureAwait(false);
                break;
            case ConfirmStatus.WithdrawnSince:
                await Error(context, text, StatusCodes.Status409Conflict, PreferenceCenterCodes.ConfirmationWithdrawn, text.ErrorConfirmationWithdrawn).ConfigureAwait(false);
                break;
            case ConfirmStatus.Unknown:
                await Error(context, text, StatusCodes.Status404NotFound, PreferenceCenterCodes.ConfirmationUnknown, text.ErrorLink).ConfigureAwait(false);
                break;
            default:
                await Error(context, text, StatusCodes.Status503ServiceUnavailable, PreferenceCenterCodes.Conflict, text.ErrorConflict).ConfigureAwait(false);
                break;
        }
    }

    // ---- JSON API ----

    public Task ApiGet(HttpContext context) => Guard(context, false, async () =>
    {
        var customer = await ApiCustomer(context).ConfigureAwait(false);
        if (customer is not null)
        {
            await Json(context, StatusCodes.Status200OK, PreferenceJson.Write(_center, customer, Options.TextFor(customer.Language))).ConfigureAwait(false);
        }
    });

    public Task ApiPost(HttpContext context) => Guard(context, true, async () =>
    {
        var customer = await ApiCustomer(context).ConfigureAwait(false);
        if (customer is null)
        {
            return;
        }

        var body = await JsonBody(context, "the changes").ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var choices = PreferenceJson.Read(body, Options, _center.Eligibility.Channels, out var error);
        if (error is not null)
        {
            await JsonError(context, StatusCodes.Status400BadRequest, PreferenceCenterCodes.FieldInvalid, error).ConfigureAwait(false);
            return;
        }

        var text = Options.TextFor(customer.Language);
        var result = await _center.ApplyAsync(customer.Id, choices!, text, _center.MethodEvidenceOf(context), context.RequestAborted).ConfigureAwait(false);
        switch (result.Status)
        {
            case ApplyStatus.Saved:
                var stored = await _center.Store.GetCustomerAsync(customer.Id, context.RequestAborted).ConfigureAwait(false);
                await Json(context, StatusCodes.Status200OK, PreferenceJson.Write(_center, stored!.Profile, text)).ConfigureAwait(false);
                break;
            case ApplyStatus.NotFound:
                await JsonError(context, StatusCodes.Status403Forbidden, PreferenceCenterCodes.TokenInvalid, "The token is not valid.").ConfigureAwait(false);
                break;
            default:
                await JsonError(context, StatusCodes.Status503ServiceUnavailable, PreferenceCenterCodes.Conflict, "The customer changed meanwhile; try again.").ConfigureAwait(false);
                break;
        }
    });

    private async Task<Customers.CustomerProfile?> ApiCustomer(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : context.Request.Query["token"].ToString();
        var verification = _center.Tokens.Verify(token, TokenScopes.Preferences);
        if (!verification.IsValid)
        {
            var code = verification.Status switch
            {
                TokenStatus.Expired => PreferenceCenterCodes.TokenExpired,
                TokenStatus.WrongScope => PreferenceCenterCodes.TokenWrongScope,
                _ => PreferenceCenterCodes.TokenInvalid,
            };
            await JsonError(context, StatusCodes.Status403Forbidden, code, "The token is not valid for this API.").ConfigureAwait(false);
            return null;
        }

        var stored = await _center.Store.GetCustomerAsync(verification.CustomerId!, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            await JsonError(context, StatusCodes.Status403Forbidden, PreferenceCenterCodes.TokenInvalid, "The token is not valid for this API.").ConfigureAwait(false);
            return null;
        }

        return stored.Profile;
    }

    // ---- shared steps ----

    /// <summary>Security headers, the rate limit and the body size limit for every request; then the handler.</summary>
    private async Task Guard(HttpContext context, bool hasBody, Func<Task> handler)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = HtmlWriter.ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        using var lease = _limiter.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            headers.RetryAfter = "60";
            await Error(context, DefaultText, StatusCodes.Status429TooManyRequests, PreferenceCenterCodes.RateLimited, DefaultText.ErrorRateLimited).ConfigureAwait(false);
            return;
        }

        if (hasBody)
        {
            if (context.Request.ContentLength > Options.MaxRequestBodyBytes)
            {
                await Error(context, DefaultText, StatusCodes.Status413PayloadTooLarge, PreferenceCenterCodes.RequestTooLarge, DefaultText.ErrorTooLarge).ConfigureAwait(false);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = Options.MaxRequestBodyBytes;
            }

            // Whoever reads the form first (antiforgery or the handler) reads it under these limits, once.
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, _formOptions));
        }

        try
        {
            await handler().ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await Error(context, DefaultText, StatusCodes.Status413PayloadTooLarge, PreferenceCenterCodes.RequestTooLarge, DefaultText.ErrorTooLarge).ConfigureAwait(false);
        }
        catch (InvalidDataException) when (!context.Response.HasStarted)
        {
            // A form over the field or value limits, met by whoever read it first.
            await Error(context, DefaultText, StatusCodes.Status400BadRequest, PreferenceCenterCodes.FormTooLarge, DefaultText.ErrorTooLarge).ConfigureAwait(false);
        }
    }

    private PreferenceCenterText DefaultText => Options.TextFor(null);

    private async Task<(Customers.CustomerProfile? Customer, PreferenceCenterText? Text)> Customer(HttpContext context, string scope)
    {
        var verification = _center.Tokens.Verify(context.Request.Query["token"].ToString(), scope);
        if (!verification.IsValid)
        {
            await TokenError(context, verification.Status switch
            {
                TokenStatus.Expired => PreferenceCenterCodes.TokenExpired,
                TokenStatus.WrongScope => PreferenceCenterCodes.TokenWrongScope,
                _ => PreferenceCenterCodes.TokenInvalid,
            }).ConfigureAwait(false);
            return (null, null);
        }

        var stored = await _center.Store.GetCustomerAsync(verification.CustomerId!, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
            return (null, null);
        }

        return (stored.Profile, Options.TextFor(stored.Profile.Language));
    }

    private async Task<(Customers.CustomerProfile? Customer, PreferenceCenterText? Text, ConsentScope Scope)> UnsubscribeCustomer(HttpContext context)
    {
        // Unsubscribe tokens carry what they withdraw: a channel for a purpose, or a topic.
        var verification = _center.Tokens.Verify(context.Request.Query["token"].ToString(), "unsubscribe");
        if (verification.Status is not (TokenStatus.Valid or TokenStatus.WrongScope)
            || !TokenScopeNames.TryParseUnsubscribe(verification.Scope!, out var scope))
        {
            await TokenError(context, verification.Status == TokenStatus.Expired ? PreferenceCenterCodes.TokenExpired
                : verification.Status == TokenStatus.WrongScope ? PreferenceCenterCodes.TokenWrongScope : PreferenceCenterCodes.TokenInvalid).ConfigureAwait(false);
            return (null, null, default);
        }

        var stored = await _center.Store.GetCustomerAsync(verification.CustomerId!, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
            return (null, null, default);
        }

        return (stored.Profile, Options.TextFor(stored.Profile.Language), scope);
    }

    private async Task<bool> Antiforgery(HttpContext context, PreferenceCenterText text)
    {
        try
        {
            await _antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            await Error(context, text, StatusCodes.Status400BadRequest, PreferenceCenterCodes.CsrfInvalid, text.ErrorCsrf).ConfigureAwait(false);
            return false;
        }
    }

    private async Task<IFormCollection?> Form(HttpContext context, PreferenceCenterText text)
    {
        if (!IsMediaType(context.Request.ContentType, "application/x-www-form-urlencoded") && !IsMediaType(context.Request.ContentType, "multipart/form-data"))
        {
            await Error(context, text, StatusCodes.Status415UnsupportedMediaType, PreferenceCenterCodes.UnsupportedMediaType, text.Format(text.ErrorField, "Content-Type")).ConfigureAwait(false);
            return null;
        }

        try
        {
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, _formOptions));

            return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            await Error(context, text, StatusCodes.Status400BadRequest, PreferenceCenterCodes.FormTooLarge, text.ErrorTooLarge).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>A JSON API's body, or null after answering 415 (not JSON) or 413 (over the limit).</summary>
    private async Task<byte[]?> JsonBody(HttpContext context, string what)
    {
        if (!IsMediaType(context.Request.ContentType, "application/json"))
        {
            await JsonError(context, StatusCodes.Status415UnsupportedMediaType, PreferenceCenterCodes.UnsupportedMediaType, $"Send {what} as application/json.").ConfigureAwait(false);
            return null;
        }

        var body = await ReadBody(context).ConfigureAwait(false);
        if (body is null)
        {
            await JsonError(context, StatusCodes.Status413PayloadTooLarge, PreferenceCenterCodes.RequestTooLarge, $"The body is larger than {Options.MaxRequestBodyBytes} bytes.").ConfigureAwait(false);
        }

        return body;
    }

    private async Task<byte[]?> ReadBody(HttpContext context)
    {
        var limit = Options.MaxRequestBodyBytes;
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task<bool> Applied(HttpContext context, PreferenceCenterText text, ApplyStatus status)
    {
        switch (status)
        {
            case ApplyStatus.Saved:
                return true;
            case ApplyStatus.NotFound:
                await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
                return false;
            default:
                await Error(context, text, StatusCodes.Status503ServiceUnavailable, PreferenceCenterCodes.Conflict, text.ErrorConflict).ConfigureAwait(false);
                return false;
        }
    }

    private async Task WritePage(HttpContext context, Customers.CustomerProfile customer, PreferenceCenterText text, string? status)
    {
        var tokens = _antiforgery.GetAndStoreTokens(context);
        await Html(context, StatusCodes.Status200OK, PreferencePage.Render(_center, customer, text, SelfUrl(context), tokens.FormFieldName, tokens.RequestToken!, status)).ConfigureAwait(false);
    }

    /// <summary>A forged, expired, wrong-scope or orphaned token: the same plain 403 page, saying nothing more; the code is in a header for logs and tests.</summary>
    private Task TokenError(HttpContext context, string code)
        => Error(context, DefaultText, StatusCodes.Status403Forbidden, code, DefaultText.ErrorLink);

    private Task Error(HttpContext context, PreferenceCenterText text, int status, string code, string message)
    {
        context.Response.Headers["X-Personalize-Error"] = code;
        return Html(context, status, PreferencePage.Message(text, Options.LanguageOf(text), text.ErrorTitle, message, true));
    }

    private static async Task Html(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Json(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task JsonError(HttpContext context, int status, string code, string message)
    {
        context.Response.Headers["X-Personalize-Error"] = code;
        return Json(context, status, PreferenceJson.Error(code, message));
    }

    private static string SelfUrl(HttpContext context) => context.Request.PathBase + context.Request.Path + context.Request.QueryString;

    /// <summary>The preference page beside this endpoint's group (the same path base and prefix).</summary>
    private static string PageUrl(HttpContext context, string token)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var prefix = path.EndsWith("/unsubscribe", StringComparison.Ordinal) ? path[..^"/unsubscribe".Length] : string.Empty;
        return context.Request.PathBase + prefix + "/preferences?token=" + Uri.EscapeDataString(token);
    }

    private static bool IsMediaType(string? contentType, string expected)
        => contentType is not null && contentType.AsSpan().TrimStart().StartsWith(expected, StringComparison.OrdinalIgnoreCase);

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

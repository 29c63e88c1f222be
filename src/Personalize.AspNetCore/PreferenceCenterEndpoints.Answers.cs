using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Personalize.Consent;
using Personalize.Delivery.Security;
using Personalize.Profiling;

namespace Personalize.AspNetCore;

// The answer to a progressive-profiling question: its one-tap link (GET shows, POST records) and the JSON API.
internal sealed partial class PreferenceCenterEndpoints
{
    private const string AnswerField = "answer";

    public Task AnswerGet(HttpContext context) => Guard(context, false, async () =>
    {
        if (await AnswerLink(context).ConfigureAwait(false) is not { } link)
        {
            return;
        }

        var (customer, text, question, value) = link;
        var language = Options.LanguageOf(text);
        if (QuestionBank.IsAnswered(customer, question.Id))
        {
            await Html(context, StatusCodes.Status200OK, PreferencePage.Message(text, language, text.AnswerTitle, text.AnswerAlready, false)).ConfigureAwait(false);
            return;
        }

        // A GET never records: mail scanners and link previews open links. The page shows the answer and a button.
        var tokens = _antiforgery.GetAndStoreTokens(context);
        var fields = new List<(string Name, string Value)> { (tokens.FormFieldName, tokens.RequestToken!) };
        var html = value is null
            ? PreferencePage.AnswerForm(language, text.AnswerTitle, question.TextFor(customer.Language), SelfUrl(context), AnswerField, text.AnswerLabel, ProfilingAnswers.MaxAnswerLength, text.AnswerButton, fields)
            : PreferencePage.Question(text, language, text.AnswerTitle, question.TextFor(customer.Language) + " " + text.Format(text.AnswerChosen, LabelOf(question, value, customer.Language)), SelfUrl(context), text.AnswerButton, fields);
        await Html(context, StatusCodes.Status200OK, html).ConfigureAwait(false);
    });

    public Task AnswerPost(HttpContext context) => Guard(context, true, async () =>
    {
        if (await AnswerLink(context).ConfigureAwait(false) is not { } link)
        {
            return;
        }

        var (customer, text, question, value) = link;
        var form = await Form(context, text).ConfigureAwait(false);
        if (form is null || !await Antiforgery(context, text).ConfigureAwait(false))
        {
            return;
        }

        var answer = value ?? form[AnswerField].ToString();
        var result = await _answers!.AnswerAsync(
            new ProfilingAnswer { CustomerId = customer.Id, QuestionId = question.Id, Answer = answer, Source = ConsentSource.Form(Options.AnswerSourceDetail), Channel = "web", MethodEvidence = _center.MethodEvidenceOf(context) },
            context.RequestAborted).ConfigureAwait(false);
        var language = Options.LanguageOf(text);
        switch (result.Code)
        {
            case ProfilingCodes.Recorded:
                await Html(context, StatusCodes.Status200OK, PreferencePage.Message(text, language, text.AnswerTitle, text.AnswerDone, false)).ConfigureAwait(false);
                break;
            case ProfilingCodes.AlreadyAnswered:
                await Html(context, StatusCodes.Status200OK, PreferencePage.Message(text, language, text.AnswerTitle, text.AnswerAlready, false)).ConfigureAwait(false);
                break;
            case ProfilingCodes.InvalidAnswer:
                await Error(context, text, StatusCodes.Status400BadRequest, ProfilingCodes.InvalidAnswer, text.Format(text.ErrorField, text.AnswerLabel)).ConfigureAwait(false);
                break;
            case ProfilingCodes.CustomerNotFound:
                await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
                break;
            default:
                await Error(context, text, StatusCodes.Status503ServiceUnavailable, PreferenceCenterCodes.Conflict, text.ErrorConflict).ConfigureAwait(false);
                break;
        }
    });

    /// <summary>
    /// <c>POST …/preferences/answer/api</c> with <c>Authorization: Bearer TOKEN</c> (an answer link's token, or a preference-center
    /// token) and <c>{"question": "ID", "answer": "VALUE"}</c> (both optional when the token carries them).
    /// </summary>
    public Task AnswerApi(HttpContext context) => Guard(context, true, async () =>
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : context.Request.Query["token"].ToString();
        var verification = _center.Tokens.Verify(token, TokenScopes.Preferences);
        string? tokenQuestion = null;
        string? tokenValue = null;
        if (!verification.IsValid
            && !(verification.Status == TokenStatus.WrongScope && TokenScopes.TryParseAnswer(verification.Scope, out tokenQuestion, out tokenValue)))
        {
            await JsonError(context, StatusCodes.Status403Forbidden, verification.Status == TokenStatus.Expired ? PreferenceCenterCodes.TokenExpired : verification.Status == TokenStatus.WrongScope ? PreferenceCenterCodes.TokenWrongScope : PreferenceCenterCodes.TokenInvalid, "The token is not valid for this API.").ConfigureAwait(false);
            return;
        }

        var body = await JsonBody(context, "the answer").ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!TryReadAnswer(body, out var bodyQuestion, out var bodyAnswer))
        {
            await JsonError(context, StatusCodes.Status400BadRequest, PreferenceCenterCodes.FieldInvalid, "Expected {\"question\": \"ID\", \"answer\": \"VALUE\"} with string values.").ConfigureAwait(false);
            return;
        }

        // An answer token answers its own question (and, with a value, only that value).
        var questionId = tokenQuestion ?? bodyQuestion;
        if ((tokenQuestion is not null && bodyQuestion is not null && bodyQuestion != tokenQuestion)
            || (tokenValue is not null && bodyAnswer is not null && !string.Equals(bodyAnswer, tokenValue, StringComparison.OrdinalIgnoreCase)))
        {
            await JsonError(context, StatusCodes.Status403Forbidden, PreferenceCenterCodes.TokenWrongScope, "The token is for another question or answer.").ConfigureAwait(false);
            return;
        }

        var result = await _answers!.AnswerAsync(
            new ProfilingAnswer { CustomerId = verification.CustomerId!, QuestionId = questionId ?? string.Empty, Answer = tokenValue ?? bodyAnswer ?? string.Empty, Source = new ConsentSource(ConsentSourceKind.Api, Options.AnswerSourceDetail), Channel = "app", MethodEvidence = _center.MethodEvidenceOf(context) },
            context.RequestAborted).ConfigureAwait(false);
        var status = result.Code switch
        {
            ProfilingCodes.Recorded or ProfilingCodes.AlreadyAnswered => StatusCodes.Status200OK,
            ProfilingCodes.UnknownQuestion or ProfilingCodes.InvalidAnswer => StatusCodes.Status400BadRequest,
            ProfilingCodes.CustomerNotFound => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        if (status != StatusCodes.Status200OK)
        {
            await JsonError(context, status, result.Code, result.Message).ConfigureAwait(false);
            return;
        }

        await Json(context, status, AnswerJson(result)).ConfigureAwait(false);
    });

    /// <summary>Verifies an answer link's token and finds its customer and question; writes the 403 page otherwise.</summary>
    private async Task<(Customers.CustomerProfile Customer, PreferenceCenterText Text, Question Question, string? Value)?> AnswerLink(HttpContext context)
    {
        var verification = _center.Tokens.Verify(context.Request.Query["token"].ToString(), TokenScopes.AnswerPrefix);
        if (verification.Status is not (TokenStatus.Valid or TokenStatus.WrongScope)
            || !TokenScopes.TryParseAnswer(verification.Scope, out var questionId, out var value)
            || !_answers!.Bank.TryGet(questionId, out var question))
        {
            await TokenError(context, verification.Status == TokenStatus.Expired ? PreferenceCenterCodes.TokenExpired
                : verification.Status == TokenStatus.WrongScope ? PreferenceCenterCodes.TokenWrongScope : PreferenceCenterCodes.TokenInvalid).ConfigureAwait(false);
            return null;
        }

        var stored = await _center.Store.GetCustomerAsync(verification.CustomerId!, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            await TokenError(context, PreferenceCenterCodes.CustomerNotFound).ConfigureAwait(false);
            return null;
        }

        return (stored.Profile, Options.TextFor(stored.Profile.Language), question, value);
    }

    private static string LabelOf(Question question, string value, string? language)
        => QuestionBank.OptionsOf(question).FirstOrDefault(o => string.Equals(o.Value, value, StringComparison.OrdinalIgnoreCase)) is { } option ? question.LabelFor(option, language) : value;

    private static bool TryReadAnswer(byte[] body, out string? question, out string? answer)
    {
        question = null;
        answer = null;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || property.Name is not ("question" or "answer"))
                {
                    return false;
                }

                if (property.Name == "question")
                {
                    question = property.Value.GetString();
                }
                else
                {
                    answer = property.Value.GetString();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] AnswerJson(AnswerResult result)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("code", result.Code);
            writer.WriteString("question", result.Question?.Id);
            writer.WriteString("answer", result.Value);
            writer.WriteString("message", result.Message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

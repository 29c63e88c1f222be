using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Channels.DirectMail;
using Personalize.Channels.Email;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Channels.Sms;

namespace Personalize.Delivery.Sinks;

/// <summary>Writes one outgoing message as one line of JSON (no line breaks inside) for the JSON Lines outbox.</summary>
internal static class OutboxJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static void WriteLine(OutgoingMessage message, IBufferWriter<byte> output)
    {
        Write(message, output);
        var span = output.GetSpan(1);
        span[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>Writes one message as one JSON object (no line break after it).</summary>
    public static void Write(OutgoingMessage message, IBufferWriter<byte> output)
    {
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteString("idempotencyKey", message.IdempotencyKey);
            json.WriteString("channel", message.Channel.Name);
            json.WriteString("recipient", message.Recipient);
            json.WriteString("customerId", message.CustomerId);
            json.WriteString("messageId", message.MessageId);
            json.WriteString("trigger", message.Trigger);
            json.WriteString("purpose", PurposeName(message.Purpose));
            json.WriteString("sendAt", message.SendAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
            if (message.Headers.Count > 0)
            {
                json.WriteStartArray("headers");
                foreach (var header in message.Headers)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(header.Key);
                    json.WriteStringValue(header.Value);
                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("content");
            WriteContent(json, message.Content);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>Reads the idempotency key of a line; <see langword="null"/> for a torn or foreign line.</summary>
    public static string? ReadKey(ReadOnlySpan<byte> line)
    {
        try
        {
            // A line counts only when it is complete JSON: a torn last line was never written.
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("idempotencyKey"u8, out var key)
                && key.ValueKind == JsonValueKind.String
                ? key.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteContent(Utf8JsonWriter json, MessageContent content)
    {
        switch (content)
        {
            case SmsContent sms:
                json.WriteString("body", sms.Body);
                json.WriteString("encoding", sms.Analysis.Encoding == SmsEncoding.Gsm7 ? "gsm7" : "ucs2");
                json.WriteNumber("units", sms.Analysis.Units);
                json.WriteNumber("segments", sms.Analysis.Segments);
                break;
            case PushContent push:
                json.WriteString("title", push.Title);
                json.WriteString("body", push.Body);
                WriteOptional(json, "deepLink", push.DeepLink);
                json.WriteStartObject("data");
                foreach (var pair in push.Data)
                {
                    json.WriteString(pair.Key, pair.Value);
                }

                json.WriteEndObject();
                WriteList(json, "deviceTokens", push.DeviceTokens);
                break;
            case InAppContent inApp:
                json.WriteString("title", inApp.Title);
                json.WriteString("body", inApp.Body);
                WriteOptional(json, "actionLabel", inApp.ActionLabel);
                WriteOptional(json, "actionUrl", inApp.ActionUrl);
                break;
            case LetterContent letter:
                WriteList(json, "recipientBlock", letter.RecipientBlock);
                json.WriteString("body", letter.Body);
                break;
            case CallScriptContent call:
                json.WriteString("greeting", call.Greeting);
                WriteList(json, "talkingPoints", call.TalkingPoints);
                WriteOptional(json, "question", call.Question);
                break;
            case EmailContent email:
                json.WriteString("subject", email.Subject);
                WriteOptional(json, "preheader", email.Preheader);
                // Rendered bodies are UTF-8 already: written as they are (same JSON), not decoded into strings first.
                if (email.TextBodyUtf8 is { } textUtf8)
                {
                    json.WriteString("textBody", textUtf8.Span);
                }
                else
                {
                    json.WriteString("textBody", email.TextBody);
                }

                if (email.HtmlBodyUtf8 is { } htmlUtf8)
                {
                    json.WriteString("htmlBody", htmlUtf8.Span);
                }
                else
                {
                    WriteOptional(json, "htmlBody", email.HtmlBody);
                }
                break;
            case TextContent text:
                json.WriteString("body", text.Body);
                break;
            default:
                json.WriteString("type", content.GetType().Name);
                break;
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    internal static string PurposeName(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Marketing => "marketing",
        ContactPurpose.Service => "service",
        _ => "relationship",
    };
}

using System.Text;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Channels.Email;

public sealed class EmailMimeTests
{
    private const string Text = "Hallo Ada,\nunsere Frühlingsaktion: 20 % auf Rosen – nur bis Sonntag.\n\nGrüße 🌹";
    private const string Html = "<html><body><p>Hallo Ada,</p><p>Frühlingsaktion: 20&nbsp;% auf Rosen 🌹</p></body></html>";

    private static EmailContent Content(string subject = "Frühling im Garten – 20 % auf Rosen 🌹") => new()
    {
        Subject = subject,
        Preheader = "Nur bis Sonntag & solange der Vorrat reicht",
        TextBody = Text,
        HtmlBody = Html,
    };

    private static (OutgoingMessage Message, MimeParser Mime) Write(ContactPurpose purpose, EmailContent? content = null)
    {
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(purpose), content ?? Content());
        return (message, MimeParser.Parse(MimeEmailWriter.ToBytes(message)));
    }

    [Fact]
    public void Marketing_email_parses_back_with_decoded_headers_and_both_parts()
    {
        var (message, mime) = Write(ContactPurpose.Marketing);

        Assert.Equal("Frühling im Garten – 20 % auf Rosen 🌹", mime.Decoded("Subject"));
        Assert.Equal("Gärtnerei Müller <news@example.com>", mime.Decoded("From"));
        Assert.Equal("<ada@example.com>", mime.Decoded("To"));
        Assert.Equal("Sun, 15 Mar 2026 09:30:00 +0000", mime.Header("Date"));
        Assert.Equal("<" + message.IdempotencyKey + "@example.com>", mime.Header("Message-ID"));
        Assert.Equal("1.0", mime.Header("MIME-Version"));
        Assert.StartsWith("multipart/alternative;", mime.Header("Content-Type"), StringComparison.Ordinal);

        Assert.Equal(2, mime.Parts.Count);
        Assert.Equal("text/plain; charset=utf-8", mime.Parts[0].Header("Content-Type"));
        Assert.Equal(Text, mime.Parts[0].DecodedText());
        Assert.Equal("text/html; charset=utf-8", mime.Parts[1].Header("Content-Type"));
        var html = mime.Parts[1].DecodedText();
        Assert.Contains("<p>Hallo Ada,</p><p>Frühlingsaktion: 20&nbsp;% auf Rosen 🌹</p>", html, StringComparison.Ordinal);
        Assert.Equal(Html, html.Replace("<div style=\"display:none;max-height:0;overflow:hidden;mso-hide:all\">Nur bis Sonntag &amp; solange der Vorrat reicht</div>", string.Empty, StringComparison.Ordinal));
        Assert.StartsWith("<html><body><div style=\"display:none", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><BODY class=\"x\">\n<p>Grüße 🌹</p>\r\n</BODY></html>", "Nur bis Sonntag & solange")]
    [InlineData("<p>no body tag</p>\r<p>line</p>", "Vorschau")]
    [InlineData("<html><body><p>no preheader</p></body></html>", null)]
    [InlineData("<html><body", "Tag never closed")]
    public void Html_held_as_rendered_utf8_reads_back_as_text_and_writes_the_same_mime_as_html_held_as_text(string html, string? preheader)
    {
        const string text = "Hi \"Ada\" – Grüße 🌹\n";
        var asText = new EmailContent { Subject = "Hi", Preheader = preheader, TextBody = text, HtmlBody = html };
        var asUtf8 = new EmailContent { Subject = "Hi", Preheader = preheader, TextBody = string.Empty, TextBodyUtf8 = Encoding.UTF8.GetBytes(text), HtmlBodyUtf8 = Encoding.UTF8.GetBytes(html) };
        var composer = DeliveryFixture.Composer();
        var request = DeliveryFixture.Request(ContactPurpose.Marketing);

        var fromText = MimeEmailWriter.ToBytes(composer.Email(request, asText));
        var fromUtf8 = MimeEmailWriter.ToBytes(composer.Email(request, asUtf8));
        var outboxText = new System.Buffers.ArrayBufferWriter<byte>();
        var outboxUtf8 = new System.Buffers.ArrayBufferWriter<byte>();
        Personalize.Delivery.Sinks.OutboxJson.WriteLine(composer.Email(request, asText), outboxText);
        Personalize.Delivery.Sinks.OutboxJson.WriteLine(composer.Email(request, asUtf8), outboxUtf8);

        Assert.Equal(Encoding.UTF8.GetString(fromText), Encoding.UTF8.GetString(fromUtf8));
        Assert.Equal(Encoding.UTF8.GetString(outboxText.WrittenSpan), Encoding.UTF8.GetString(outboxUtf8.WrittenSpan));
        using (var line = System.Text.Json.JsonDocument.Parse(outboxUtf8.WrittenMemory))
        {
            var content = line.RootElement.GetProperty("content");
            Assert.Equal(html, content.GetProperty("htmlBody").GetString());
            Assert.Equal(text, content.GetProperty("textBody").GetString());
        }

        Assert.Equal(html, asUtf8.HtmlBody);
        Assert.Equal(asText, asUtf8);
        Assert.Equal(asText.GetHashCode(), asUtf8.GetHashCode());
        Assert.NotEqual(asText, asUtf8 with { HtmlBody = html + " " });
    }

    [Fact]
    public void Marketing_email_carries_one_click_unsubscribe_and_list_id_with_verifiable_tokens()
    {
        var (_, mime) = Write(ContactPurpose.Marketing);

        var unsubscribe = mime.Decoded("List-Unsubscribe")!;
        Assert.Matches("^<https://example\\.com/unsubscribe\\?token=[A-Za-z0-9_.-]+>, <mailto:unsubscribe@example\\.com\\?subject=unsubscribe%20[A-Za-z0-9_.-]+>$", unsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", mime.Header("List-Unsubscribe-Post"));
        Assert.Equal("Example News <news.example.com>", mime.Header("List-Id"));

        var token = unsubscribe[(unsubscribe.IndexOf("token=", StringComparison.Ordinal) + 6)..unsubscribe.IndexOf('>', StringComparison.Ordinal)];
        var tokens = new SignedTokenService(DeliveryFixture.Options(), new ManualTimeProvider(DeliveryFixture.SendAt.AddDays(1)));
        var verified = tokens.Verify(token, TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing));
        Assert.Equal(TokenStatus.Valid, verified.Status);
        Assert.Equal("c-42", verified.CustomerId);
        Assert.EndsWith("subject=unsubscribe%20" + token + ">", unsubscribe, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_email_has_no_unsubscribe_headers()
    {
        var (message, mime) = Write(ContactPurpose.Service);

        Assert.Equal(0, mime.Count("List-Unsubscribe"));
        Assert.Equal(0, mime.Count("List-Unsubscribe-Post"));
        Assert.Equal(0, mime.Count("List-Id"));
        Assert.Empty(message.Headers);
        Assert.Equal(Text, mime.Parts[0].DecodedText());
    }

    [Fact]
    public void Relationship_email_also_carries_unsubscribe_headers()
    {
        var (_, mime) = Write(ContactPurpose.Relationship);

        Assert.Contains("unsubscribe", mime.Decoded("List-Unsubscribe"), StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mime.Header("List-Unsubscribe-Post"));
    }

    [Fact]
    public void Header_lines_stay_within_78_characters_and_long_subjects_round_trip()
    {
        var ascii = string.Join(' ', Enumerable.Repeat("Spring offers for your garden", 8));
        var unicode = string.Concat(Enumerable.Repeat("Ünïcödé 🌹🌷 ", 20)).TrimEnd();

        foreach (var subject in new[] { ascii, unicode })
        {
            var (_, mime) = Write(ContactPurpose.Marketing, Content(subject));
            Assert.Equal(subject, mime.Decoded("Subject"));
            // Every line that can be folded is at most 78 characters; only the unbreakable unsubscribe URLs are longer (never over 998).
            Assert.All(mime.RawHeaderLines.Where(l => !l.Contains("token=", StringComparison.Ordinal) && !l.Contains("subject=unsubscribe", StringComparison.Ordinal)), line => Assert.True(line.Length <= 78, $"Header line of {line.Length} characters: {line}"));
            Assert.All(mime.RawHeaderLines, line => Assert.True(line.Length <= 998));
        }
    }

    [Fact]
    public void Ascii_display_name_with_specials_is_quoted()
    {
        var content = Content() with { From = new EmailAddress("news@example.com", "Example, Inc. \"Garden\"") };
        var (_, mime) = Write(ContactPurpose.Service, content);

        Assert.Equal("\"Example, Inc. \\\"Garden\\\"\" <news@example.com>", mime.Header("From"));
    }

    [Fact]
    public void Quoted_printable_lines_are_at_most_76_characters_and_decode_exactly()
    {
        var text = string.Concat(Enumerable.Repeat("Grüße = Tschüss ", 40)) + "  \ntrailing spaces above and a tab\t\nend";
        var (_, mime) = Write(ContactPurpose.Service, Content() with { TextBody = text });

        var part = mime.Parts[0];
        Assert.Equal("quoted-printable", part.Header("Content-Transfer-Encoding"));
        Assert.All(part.RawBody.Split("\r\n"), line => Assert.True(line.Length <= 76, $"QP line of {line.Length} characters."));
        Assert.All(part.RawBody.Split("\r\n"), line => Assert.False(line.EndsWith(' ') || line.EndsWith('\t'), "A QP line ends in white space."));
        Assert.Equal(text, part.DecodedText());
    }

    [Fact]
    public void Mostly_non_ascii_bodies_use_base64_with_76_character_lines()
    {
        var text = string.Concat(Enumerable.Repeat("春の庭にバラを。今週末まで二割引きです。", 10));
        var (_, mime) = Write(ContactPurpose.Service, Content() with { TextBody = text });

        var part = mime.Parts[0];
        Assert.Equal("base64", part.Header("Content-Transfer-Encoding"));
        Assert.All(part.RawBody.Split("\r\n"), line => Assert.True(line.Length <= 76));
        Assert.Equal(text, part.DecodedText());
    }

    [Fact]
    public void Email_without_html_is_a_single_text_part()
    {
        var (_, mime) = Write(ContactPurpose.Service, Content() with { HtmlBody = null });

        Assert.Empty(mime.Parts);
        Assert.Equal("text/plain; charset=utf-8", mime.Header("Content-Type"));
        Assert.Equal(Text, mime.DecodedText());
    }

    [Fact]
    public void Writing_the_same_message_twice_gives_the_same_bytes()
    {
        var composer = DeliveryFixture.Composer();
        var first = MimeEmailWriter.ToBytes(composer.Email(DeliveryFixture.Request(), Content()));
        var second = MimeEmailWriter.ToBytes(composer.Email(DeliveryFixture.Request(), Content()));

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@example.com", "a carriage return (CR) at position 5")]
    [InlineData("Hello\nBcc: victim@example.com", "a line feed (LF) at position 5")]
    public void Line_breaks_in_the_subject_are_rejected(string subject, string where)
    {
        var error = Assert.Throws<MessageContentException>(() => DeliveryFixture.Composer().Email(DeliveryFixture.Request(), Content(subject)));

        Assert.Equal(MessageContentCodes.HeaderInjection, error.Code);
        Assert.Contains("Subject header has " + where, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_display_names_and_extra_headers_are_rejected()
    {
        var composer = DeliveryFixture.Composer();
        var badName = Content() with { From = new EmailAddress("news@example.com", "Shop\r\nBcc: x@example.com") };
        Assert.Equal(MessageContentCodes.HeaderInjection, Assert.Throws<MessageContentException>(() => composer.Email(DeliveryFixture.Request(), badName)).Code);

        var badValue = new[] { new KeyValuePair<string, string>("X-Campaign", "spring\nBcc: x@example.com") };
        Assert.Equal(MessageContentCodes.HeaderInjection, Assert.Throws<MessageContentException>(() => composer.Email(DeliveryFixture.Request(), Content(), badValue)).Code);

        var badName2 = new[] { new KeyValuePair<string, string>("X-Bad\r\nName", "v") };
        Assert.Equal(MessageContentCodes.HeaderInjection, Assert.Throws<MessageContentException>(() => composer.Email(DeliveryFixture.Request(), Content(), badName2)).Code);
    }

    [Fact]
    public void The_writer_itself_rejects_injection_in_a_hand_made_message()
    {
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(ContactPurpose.Service), Content()) with
        {
            Headers = [new("X-Note", "ok\r\nBcc: x@example.com")],
        };

        Assert.Throws<MessageContentException>(() => MimeEmailWriter.ToBytes(message));
    }

    [Fact]
    public void Reserved_headers_cannot_be_set_as_extra_headers()
    {
        var extra = new[] { new KeyValuePair<string, string>("subject", "Other") };

        var error = Assert.Throws<MessageContentException>(() => DeliveryFixture.Composer().Email(DeliveryFixture.Request(), Content(), extra));

        Assert.Contains("written by Personalize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_headers_are_written_and_non_ascii_values_encoded()
    {
        var extra = new[] { new KeyValuePair<string, string>("X-Campaign", "Frühling 2026") };
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(ContactPurpose.Service), Content(), extra);

        var mime = MimeParser.Parse(MimeEmailWriter.ToBytes(message));

        Assert.Equal("Frühling 2026", mime.Decoded("X-Campaign"));
        Assert.StartsWith("=?utf-8?B?", mime.Header("X-Campaign"), StringComparison.Ordinal);
    }

    [Fact]
    public void Email_needs_an_address_on_file()
    {
        var customer = DeliveryFixture.Customer() with { ContactPoints = new Personalize.Customers.ContactPoints { Phone = "+64211234567" } };

        var error = Assert.Throws<MessageContentException>(() => DeliveryFixture.Composer().Email(DeliveryFixture.Request(customer: customer), Content()));

        Assert.Equal(MessageContentCodes.ContactPointMissing, error.Code);
    }

    [Fact]
    public void Bytes_go_to_an_ibufferwriter_as_ascii_with_crlf()
    {
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(), Content());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        MimeEmailWriter.Write(message, buffer);

        var text = Encoding.ASCII.GetString(buffer.WrittenSpan);
        Assert.StartsWith("From: =?utf-8?B?", text, StringComparison.Ordinal);
        Assert.EndsWith("--\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ascii_text_that_looks_like_an_encoded_word_is_encoded_so_it_reads_back_literally()
    {
        var (_, mime) = Write(ContactPurpose.Service, Content("Literal =?utf-8?B?SGk=?= text"));

        Assert.Equal("Literal =?utf-8?B?SGk=?= text", mime.Decoded("Subject"));
    }

    [Fact]
    public void A_colon_inside_an_ascii_subject_does_not_stop_folding()
    {
        var subject = "Note: " + string.Join(' ', Enumerable.Repeat("garden", 30));
        var (_, mime) = Write(ContactPurpose.Service, Content(subject));

        Assert.Equal(subject, mime.Decoded("Subject"));
        Assert.All(mime.RawHeaderLines.Where(l => !l.Contains("token=", StringComparison.Ordinal)), line => Assert.True(line.Length <= 78, line));
    }

    [Fact]
    public async Task Writing_to_a_stream_gives_the_same_bytes()
    {
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(), Content());
        using var stream = new MemoryStream();

        await MimeEmailWriter.WriteAsync(message, stream);

        Assert.Equal(MimeEmailWriter.ToBytes(message), stream.ToArray());
    }

    [Fact]
    public void A_body_that_contains_the_boundary_text_cannot_break_the_multipart()
    {
        var message = DeliveryFixture.Composer().Email(DeliveryFixture.Request(ContactPurpose.Service), Content());
        var text = "before\n--=_pz_" + message.IdempotencyKey + "\nafter\n--=_pz_" + message.IdempotencyKey + "--";
        message = message with { Content = Content() with { From = new EmailAddress("news@example.com"), TextBody = text } };

        var mime = MimeParser.Parse(MimeEmailWriter.ToBytes(message));

        Assert.Equal(2, mime.Parts.Count);
        Assert.Equal(text, mime.Parts[0].DecodedText());
        Assert.Equal(Html, mime.Parts[1].DecodedText().Replace("<div style=\"display:none;max-height:0;overflow:hidden;mso-hide:all\">Nur bis Sonntag &amp; solange der Vorrat reicht</div>", string.Empty, StringComparison.Ordinal));
    }
}

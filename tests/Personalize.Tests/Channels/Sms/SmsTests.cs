using Personalize.Channels;
using Personalize.Channels.Sms;
using Personalize.Delivery;
using Personalize.Tests.Delivery;

namespace Personalize.Tests.Channels.Sms;

public sealed class SmsTests
{
    private static string A(int count) => new('a', count);

    public static TheoryData<string, string, SmsEncoding, int, int> Table => new()
    {
        { "empty", string.Empty, SmsEncoding.Gsm7, 0, 0 },
        { "160 GSM characters", A(160), SmsEncoding.Gsm7, 160, 1 },
        { "161 GSM characters", A(161), SmsEncoding.Gsm7, 161, 2 },
        { "306 GSM characters", A(306), SmsEncoding.Gsm7, 306, 2 },
        { "307 GSM characters", A(307), SmsEncoding.Gsm7, 307, 3 },
        { "€ counts two: 159 + €", A(159) + "€", SmsEncoding.Gsm7, 161, 2 },
        { "80 € fill one segment", new string('€', 80), SmsEncoding.Gsm7, 160, 1 },
        { "GSM accents stay GSM-7", "Grüße aus Åland, Ñoño, Øresund, É", SmsEncoding.Gsm7, 33, 1 },
        { "ú is not GSM-7 (ù is)", "Ñandú", SmsEncoding.Ucs2, 5, 1 },
        { "extension characters", "{[~]}|\\^", SmsEncoding.Gsm7, 16, 1 },
        { "one emoji makes UCS-2", "Hi 😀", SmsEncoding.Ucs2, 5, 1 },
        { "70 UCS-2 units", A(68) + "😀", SmsEncoding.Ucs2, 70, 1 },
        { "71 UCS-2 units", A(69) + "😀", SmsEncoding.Ucs2, 71, 2 },
        { "134 UCS-2 units", new string('я', 134), SmsEncoding.Ucs2, 134, 2 },
        { "135 UCS-2 units", new string('я', 135), SmsEncoding.Ucs2, 135, 3 },
        { "lower-case ç is not GSM-7", "ça va", SmsEncoding.Ucs2, 5, 1 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Segment_table(string name, string body, SmsEncoding encoding, int units, int segments)
    {
        var analysis = SmsAnalyzer.Analyze(body);

        Assert.True(encoding == analysis.Encoding, name);
        Assert.Equal(units, analysis.Units);
        Assert.Equal(segments, analysis.Segments);
    }

    [Fact]
    public void Random_bodies_count_as_the_segment_rules_say()
    {
        // Plain ASCII prefixes of every length (the analyzer scans them in one vectorized pass) followed by accents,
        // extension characters, text outside GSM-7 and emoji: each body's encoding, units and segments as a plain
        // restatement of the rules counts them.
        const string basicOthers = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r";
        const string extension = "^{}\\[~]|€\f";
        var random = new Random(15);
        for (var round = 0; round < 4000; round++)
        {
            var body = new System.Text.StringBuilder();
            var plain = random.Next(0, 480);
            for (var i = 0; i < plain; i++)
            {
                body.Append((char)random.Next(' ', '~' + 1));
            }

            var tail = random.Next(0, 4) == 0 ? 0 : random.Next(1, 200);
            for (var i = 0; i < tail; i++)
            {
                switch (random.Next(20))
                {
                    case 0: body.Append(basicOthers[random.Next(basicOthers.Length)]); break;
                    case 1: body.Append(extension[random.Next(extension.Length)]); break;
                    case 2 when round % 3 == 0: body.Append('ж'); break;
                    case 3 when round % 5 == 0: body.Append("🌱"); break;
                    case 4: body.Append('`'); break;
                    default: body.Append((char)random.Next('a', 'z' + 1)); break;
                }
            }

            var text = body.ToString();
            var (encoding, units, segments) = Restated(text);
            var analysis = SmsAnalyzer.Analyze(text);
            Assert.True((encoding, units, segments) == (analysis.Encoding, analysis.Units, analysis.Segments), $"\"{text}\": expected {encoding} {units} units in {segments} segments, got {analysis.Encoding} {analysis.Units} in {analysis.Segments}");
        }
    }

    // The segment rules restated character by character: GSM-7 when every character is in the basic or extension table
    // (extension characters take two septets, an escape pair never split), else UCS-2 (a surrogate pair never split).
    private static (SmsEncoding Encoding, int Units, int Segments) Restated(string text)
    {
        const string basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        const string extension = "\f^{}\\[~]|€";
        var widths = text.Select(c => basic.Contains(c) ? 1 : extension.Contains(c) ? 2 : 0).ToList();
        List<int> units;
        SmsEncoding encoding;
        int single, multi;
        if (widths.All(w => w > 0))
        {
            (encoding, units, single, multi) = (SmsEncoding.Gsm7, widths, 160, 153);
        }
        else
        {
            units = [];
            for (var i = 0; i < text.Length; i++)
            {
                var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                units.Add(pair ? 2 : 1);
                i += pair ? 1 : 0;
            }

            (encoding, single, multi) = (SmsEncoding.Ucs2, 70, 67);
        }

        var total = units.Sum();
        if (total == 0 || total <= single)
        {
            return (encoding, total, total == 0 ? 0 : 1);
        }

        var (segments, used) = (1, 0);
        foreach (var unit in units)
        {
            (segments, used) = used + unit > multi ? (segments + 1, unit) : (segments, used + unit);
        }

        return (encoding, total, segments);
    }

    [Fact]
    public void A_surrogate_pair_is_never_split_across_segments()
    {
        // 66 units, then an emoji that would straddle the 67-unit boundary: it moves whole to segment 2.
        var body = new string('я', 66) + "😀" + new string('я', 66);

        var analysis = SmsAnalyzer.Analyze(body);

        Assert.Equal(134, analysis.Units);
        Assert.Equal(3, analysis.Segments); // 66 | 2 + 65 | 1, where a naive count says 2
    }

    [Fact]
    public void A_gsm_escape_pair_is_never_split_across_segments()
    {
        var body = A(152) + "€" + A(152);

        var analysis = SmsAnalyzer.Analyze(body);

        Assert.Equal(306, analysis.Units);
        Assert.Equal(3, analysis.Segments); // 152 | 2 + 151 | 1
    }

    [Fact]
    public void First_non_gsm_character_is_reported()
    {
        Assert.Equal(6, SmsAnalyzer.Analyze("Hello 😀").FirstNonGsmIndex);
        Assert.Equal(-1, SmsAnalyzer.Analyze("Hello €").FirstNonGsmIndex);
    }

    [Fact]
    public void Marketing_sms_ends_with_the_opt_out_which_counts_toward_segments()
    {
        var message = DeliveryFixture.Composer().Sms(DeliveryFixture.Request(), A(140));

        var sms = Assert.IsType<SmsContent>(message.Content);
        Assert.Equal(A(140) + "\nReply STOP to opt out", sms.Body);
        Assert.Equal(162, sms.Analysis.Units);
        Assert.Equal(2, sms.Analysis.Segments);
        Assert.Equal("+64211234567", message.Recipient);
        Assert.Equal(Channel.Sms, message.Channel);
    }

    [Fact]
    public void Opt_out_is_not_repeated_when_the_template_already_ends_with_it()
    {
        var message = DeliveryFixture.Composer().Sms(DeliveryFixture.Request(), "Roses 20% off. Reply STOP to opt out  ");

        Assert.Equal("Roses 20% off. Reply STOP to opt out", Assert.IsType<SmsContent>(message.Content).Body);
    }

    [Fact]
    public void Service_sms_has_no_opt_out_and_custom_text_is_used_for_marketing()
    {
        var composer = DeliveryFixture.Composer(DeliveryFixture.Options(o => o.SmsOptOutText = "Text STOP to end"));

        Assert.Equal("Your order shipped.", Assert.IsType<SmsContent>(composer.Sms(DeliveryFixture.Request(ContactPurpose.Service), "Your order shipped.").Content).Body);
        Assert.EndsWith("\nText STOP to end", Assert.IsType<SmsContent>(composer.Sms(DeliveryFixture.Request(), "Sale!").Content).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_the_segment_limit_is_a_clear_error_not_a_truncated_message()
    {
        var composer = DeliveryFixture.Composer(DeliveryFixture.Options(o => o.SmsMaxSegments = 2));
        var body = A(280) + "😀";

        var error = Assert.Throws<MessageContentException>(() => composer.Sms(DeliveryFixture.Request(), body));

        Assert.Equal(MessageContentCodes.SmsTooLong, error.Code);
        Assert.Contains("needs 5 segments", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 2 are allowed", error.Message, StringComparison.Ordinal);
        Assert.Contains("UCS-2 because of '😀' at position 280", error.Message, StringComparison.Ordinal);
        Assert.Contains("never truncated", error.Message, StringComparison.Ordinal);

        Assert.False(composer.TrySms(DeliveryFixture.Request(), body, out var message, out var text));
        Assert.Null(message);
        Assert.Equal(error.Message, text);
    }

    [Fact]
    public void Exactly_at_the_limit_is_allowed()
    {
        var composer = DeliveryFixture.Composer(DeliveryFixture.Options(o => o.SmsMaxSegments = 1));

        Assert.True(composer.TrySms(DeliveryFixture.Request(ContactPurpose.Service), A(160), out var message, out _));
        Assert.Equal(1, Assert.IsType<SmsContent>(message.Content).Analysis.Segments);
        Assert.False(composer.TrySms(DeliveryFixture.Request(ContactPurpose.Service), A(161), out _, out _));
    }

    [Fact]
    public void Sms_without_a_phone_or_with_an_empty_body_is_refused()
    {
        var noPhone = DeliveryFixture.Customer() with { ContactPoints = new Personalize.Customers.ContactPoints { Email = "a@example.com" } };
        var composer = DeliveryFixture.Composer();

        Assert.Equal(MessageContentCodes.ContactPointMissing, Assert.Throws<MessageContentException>(() => composer.Sms(DeliveryFixture.Request(customer: noPhone), "Hi")).Code);
        Assert.Equal(MessageContentCodes.Invalid, Assert.Throws<MessageContentException>(() => composer.Sms(DeliveryFixture.Request(), "  ")).Code);
    }
}

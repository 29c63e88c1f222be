using System.Buffers;

namespace Personalize.Channels.Sms;

/// <summary>
/// Works out how an SMS body is encoded and how many segments it takes. GSM-7 bodies take 160 septets in one
/// segment and 153 per segment when concatenated; the extension characters <c>^ { } \ [ ~ ] | €</c> and form feed
/// count two and an escape pair is never split. Any other character makes the body UCS-2: 70 code units in one
/// segment, 67 per segment when concatenated, and a surrogate pair (an emoji) is never split across segments.
/// Allocates nothing.
/// </summary>
public static class SmsAnalyzer
{
    /// <summary>Septets in a single GSM-7 segment.</summary>
    public const int Gsm7Single = 160;

    /// <summary>Septets per GSM-7 segment of a concatenated message.</summary>
    public const int Gsm7Multi = 153;

    /// <summary>UTF-16 code units in a single UCS-2 segment.</summary>
    public const int Ucs2Single = 70;

    /// <summary>UTF-16 code units per UCS-2 segment of a concatenated message.</summary>
    public const int Ucs2Multi = 67;

    // GSM 03.38 default alphabet (ESC 0x1B excluded: it is not a character a body may contain).
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    // Septets per character for U+0000..U+03FF (Latin and Greek); '€' (U+20AC) is the only GSM character above.
    private static readonly byte[] Widths = BuildWidths();

    // The ASCII characters of one septet, for the vectorized scan of a body's plain prefix.
    private static readonly SearchValues<char> OneSeptetAscii = SearchValues.Create(Enumerable.Range(0, 0x80).Where(static c => Widths[c] == 1).Select(static c => (char)c).ToArray());

    /// <summary>Analyzes a body.</summary>
    /// <param name="body">The SMS body.</param>
    /// <returns>The encoding, length and segments.</returns>
    public static SmsAnalysis Analyze(ReadOnlySpan<char> body)
    {
        // Most bodies are plain ASCII text of one septet a character: that prefix is found in one vectorized pass, and
        // only what follows it (accents, extension characters, anything not in GSM-7) is weighed a character at a time.
        var plain = body.IndexOfAnyExcept(OneSeptetAscii);
        if (plain < 0)
        {
            plain = body.Length;
        }

        var firstNonGsm = -1;
        var septets = plain;
        for (var i = plain; i < body.Length; i++)
        {
            var width = GsmWidth(body[i]);
            if (width == 0)
            {
                firstNonGsm = i;
                break;
            }

            septets += width;
        }

        if (firstNonGsm < 0)
        {
            if (septets <= Gsm7Single)
            {
                return new SmsAnalysis(SmsEncoding.Gsm7, septets, septets == 0 ? 0 : 1, Gsm7Single, -1);
            }

            // Of one septet a character throughout, the segments are full but the last.
            var segments = plain == body.Length ? (septets + Gsm7Multi - 1) / Gsm7Multi : Pack(body, Gsm7Multi, gsm: true);
            return new SmsAnalysis(SmsEncoding.Gsm7, septets, segments, Gsm7Multi, -1);
        }

        if (body.Length <= Ucs2Single)
        {
            return new SmsAnalysis(SmsEncoding.Ucs2, body.Length, 1, Ucs2Single, firstNonGsm);
        }

        return new SmsAnalysis(SmsEncoding.Ucs2, body.Length, Pack(body, Ucs2Multi, gsm: false), Ucs2Multi, firstNonGsm);
    }

    /// <summary>Whether a character is in the GSM-7 alphabet (basic or extension table).</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> when it can be sent in GSM-7.</returns>
    public static bool IsGsm7(char c) => GsmWidth(c) != 0;

    /// <summary>Septets a character takes in GSM-7: 1 (basic), 2 (extension) or 0 (not in GSM-7).</summary>
    internal static int GsmWidth(char c) => c < (char)Widths.Length ? Widths[c] : c == '€' ? 2 : 0;

    private static byte[] BuildWidths()
    {
        var widths = new byte[0x400];
        foreach (var c in Basic)
        {
            widths[c] = 1;
        }

        foreach (var c in Extension)
        {
            if (c < (char)widths.Length)
            {
                widths[c] = 2;
            }
        }

        return widths;
    }

    /// <summary>Counts segments of a concatenated message, never splitting an escape pair or a surrogate pair.</summary>
    private static int Pack(ReadOnlySpan<char> body, int capacity, bool gsm)
    {
        var segments = 1;
        var used = 0;
        for (var i = 0; i < body.Length; i++)
        {
            int width;
            if (gsm)
            {
                width = GsmWidth(body[i]);
            }
            else if (char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                width = 2;
                i++;
            }
            else
            {
                width = 1;
            }

            if (used + width > capacity)
            {
                segments++;
                used = 0;
            }

            used += width;
        }

        return segments;
    }
}

namespace Personalize.Channels.Sms;

/// <summary>
/// How an SMS body is sent: its encoding, its length in encoding units and the segments it takes.
/// Made by <see cref="SmsAnalyzer.Analyze"/>.
/// </summary>
public readonly record struct SmsAnalysis
{
    internal SmsAnalysis(SmsEncoding encoding, int units, int segments, int unitsPerSegment, int firstNonGsmIndex)
    {
        Encoding = encoding;
        Units = units;
        Segments = segments;
        UnitsPerSegment = unitsPerSegment;
        FirstNonGsmIndex = firstNonGsmIndex;
    }

    /// <summary>GSM-7 when every character is in the GSM alphabet, else UCS-2.</summary>
    public SmsEncoding Encoding { get; }

    /// <summary>The length in septets (GSM-7; extension characters count two) or UTF-16 code units (UCS-2).</summary>
    public int Units { get; }

    /// <summary>The number of segments (0 for an empty body).</summary>
    public int Segments { get; }

    /// <summary>The capacity of one segment: 160 or 153 (GSM-7), 70 or 67 (UCS-2).</summary>
    public int UnitsPerSegment { get; }

    /// <summary>The index of the first character that forces UCS-2, or -1 when the body is GSM-7.</summary>
    public int FirstNonGsmIndex { get; }
}

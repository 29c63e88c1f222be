namespace Personalize.Channels.Sms;

/// <summary>The character encoding an SMS is sent in.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit default alphabet (with its extension table): 160 characters in one segment, 153 per segment when split.</summary>
    Gsm7 = 0,

    /// <summary>UCS-2 (UTF-16), used when any character is outside GSM-7: 70 code units in one segment, 67 per segment when split.</summary>
    Ucs2 = 1,
}

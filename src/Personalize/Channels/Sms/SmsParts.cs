namespace Personalize.Channels.Sms;

/// <summary>The template part of an SMS (the opt-out text is appended when composing).</summary>
internal static class SmsParts
{
    public const int Body = 0;

    public static readonly TemplatePart[] All = [new("body", true)];
}

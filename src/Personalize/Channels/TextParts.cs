namespace Personalize.Channels;

/// <summary>The template part of a host channel's text (for example WhatsApp): <c>{reference}.body.sbn</c>.</summary>
internal static class TextParts
{
    public const int Body = 0;

    public static readonly TemplatePart[] All = [new("body", true)];
}

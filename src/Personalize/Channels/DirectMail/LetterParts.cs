namespace Personalize.Channels.DirectMail;

/// <summary>The template part of a letter (the recipient block comes from the postal address).</summary>
internal static class LetterParts
{
    public const int Body = 0;

    public static readonly TemplatePart[] All = [new("body", true)];
}

namespace Personalize.Channels.Email;

/// <summary>The template parts of an email, by index in <see cref="All"/>.</summary>
internal static class EmailParts
{
    public const int Subject = 0;
    public const int Preheader = 1;
    public const int Html = 2;
    public const int Text = 3;
    public const int From = 4;
    public const int ReplyTo = 5;
    public const int Headers = 6;

    public static readonly TemplatePart[] All =
    [
        new("subject", true), new("preheader", false), new("html", false), new("text", true),
        new("from", false), new("reply_to", false), new("headers", false),
    ];
}

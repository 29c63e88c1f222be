namespace Personalize.Channels.Push;

/// <summary>The template parts of a push notification, by index in <see cref="All"/>.</summary>
internal static class PushParts
{
    public const int Title = 0;
    public const int Body = 1;
    public const int Link = 2;
    public const int Data = 3;

    public static readonly TemplatePart[] All = [new("title", true), new("body", true), new("link", false), new("data", false)];
}

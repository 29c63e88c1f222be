namespace Personalize.Channels.InApp;

/// <summary>The template parts of an in-app message, by index in <see cref="All"/>.</summary>
internal static class InAppParts
{
    public const int Title = 0;
    public const int Body = 1;
    public const int Link = 2;
    public const int Action = 3;

    public static readonly TemplatePart[] All = [new("title", true), new("body", true), new("link", false), new("action", false)];
}

namespace Personalize.Channels.Phone;

/// <summary>The template parts of a call script, by index in <see cref="All"/>.</summary>
internal static class CallScriptParts
{
    public const int Greeting = 0;
    public const int Points = 1;
    public const int Question = 2;

    public static readonly TemplatePart[] All = [new("greeting", true), new("points", true), new("question", false)];
}

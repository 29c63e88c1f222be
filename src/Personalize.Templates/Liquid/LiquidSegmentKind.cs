namespace Personalize.Templates.Liquid;

/// <summary>What a piece of a Liquid template is: literal text, an output <c>{{ … }}</c> or a tag <c>{% … %}</c>.</summary>
internal enum LiquidSegmentKind
{
    Text,
    Output,
    Tag,
}

namespace Personalize.Templates.Liquid;

/// <summary>A token of Liquid markup; <see cref="Start"/> and <see cref="End"/> are offsets in the whole template source.</summary>
internal readonly record struct LiquidToken(LiquidTokenKind Kind, string Text, int Start, int End)
{
    public override string ToString() => Kind == LiquidTokenKind.Eof ? "end of tag" : Text;
}

namespace Personalize.Templates.Liquid;

/// <summary>The Liquid literals <c>empty</c> and <c>blank</c>: values that only make sense on one side of <c>==</c> / <c>!=</c>.</summary>
internal sealed class LiquidKeyword
{
    public static readonly LiquidKeyword Empty = new("empty");

    public static readonly LiquidKeyword Blank = new("blank");

    private LiquidKeyword(string name) => Name = name;

    public string Name { get; }

    public override string ToString() => string.Empty;
}

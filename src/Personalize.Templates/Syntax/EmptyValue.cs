namespace Personalize.Templates.Syntax;

/// <summary>The value of the <c>empty</c> keyword: equal to anything empty.</summary>
internal sealed class EmptyValue
{
    public static readonly EmptyValue Instance = new();

    private EmptyValue()
    {
    }

    public override string ToString() => string.Empty;
}

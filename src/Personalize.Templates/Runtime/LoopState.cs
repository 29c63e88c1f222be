namespace Personalize.Templates.Runtime;

/// <summary>The values behind <c>for.index</c>, <c>for.first</c>, <c>while.index</c>, <c>tablerow.col</c>, ….</summary>
internal sealed class LoopState
{
    public LoopKind Kind { get; private set; }

    public int Index { get; set; }

    public int Length { get; set; }

    /// <summary>Gets or sets the previous item (for <c>for.changed</c>, computed only when read).</summary>
    public object? Previous { get; set; }

    public object? Current { get; set; }

    public bool Changed => Index == 0 || !ScriptOperators.Equals(Previous, Current);

    public int Column { get; set; }

    public int Columns { get; set; }

    public int Row { get; set; }

    /// <summary>Gets or sets Liquid's <c>forloop.name</c>: the loop variable and the collection as written (<c>item-products</c>).</summary>
    public string? Name { get; set; }

    public void Reset(LoopKind kind)
    {
        Kind = kind;
        Index = 0;
        Length = -1;
        Previous = null;
        Current = null;
        Column = 0;
        Columns = 0;
        Row = 0;
        Name = null;
    }

    public object? Get(string member) => member switch
    {
        "index" => Index,
        "index0" => Index,
        "index1" => Index + 1,
        "rindex" => Length - Index - 1,
        "rindex0" => Length - Index - 1,
        "rindex1" => Length - Index,
        "first" => Index == 0,
        "last" => Index == Length - 1,
        "even" => Index % 2 == 0,
        "odd" => Index % 2 == 1,
        "changed" => Changed,
        "length" => Length,
        "col" => Column + 1,
        "col0" => Column,
        "col1" => Column + 1,
        "col_first" => Column == 0,
        "col_last" => Column == Columns - 1,
        "row" => Row + 1,
        "name" => Name,
        _ => null,
    };
}

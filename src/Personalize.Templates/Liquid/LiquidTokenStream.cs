namespace Personalize.Templates.Liquid;

/// <summary>A cursor over the tokens of one tag. <see cref="Failed"/> is set once an error was reported, to avoid follow-up noise.</summary>
internal sealed class LiquidTokenStream
{
    private readonly List<LiquidToken> _tokens;
    private int _index;

    public LiquidTokenStream(List<LiquidToken> tokens) => _tokens = tokens;

    public LiquidToken Current => _tokens[_index];

    public bool Failed { get; set; }

    /// <summary>Gets or sets how deep the expression being parsed nests (chains of filters, members and and/or count one level per link).</summary>
    public int Depth { get; set; }

    public LiquidToken Peek(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    public LiquidToken Next()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    public bool IsWord(string word) => Current.Kind == LiquidTokenKind.Identifier && string.Equals(Current.Text, word, StringComparison.Ordinal);

    /// <summary>Skips to the end of the tag after an error.</summary>
    public void Fail()
    {
        Failed = true;
        _index = _tokens.Count - 1;
    }
}

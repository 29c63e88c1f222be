namespace Personalize.Templates.Syntax;

/// <summary>Stops parsing after a fatal diagnostic (nesting deeper than <see cref="TemplateLimits.MaxParseDepth"/>).</summary>
internal sealed class ParseAbortException : Exception
{
    public ParseAbortException()
        : base("Parsing stopped.")
    {
    }
}

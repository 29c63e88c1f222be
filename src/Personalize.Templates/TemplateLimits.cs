namespace Personalize.Templates;

/// <summary>
/// Sandbox limits for untrusted templates. Every limit is on by default; exceeding one stops the render with a
/// <see cref="TemplateLimitExceededException"/> naming it (parse-time limits give a diagnostic instead).
/// </summary>
public sealed record TemplateLimits
{
    /// <summary>Gets the defaults (the values documented on each property).</summary>
    public static TemplateLimits Default { get; } = new();

    /// <summary>Gets the maximum total number of loop iterations (<c>for</c>, <c>while</c>, <c>tablerow</c>, and array builtins that charge it) in one render.</summary>
    /// <value>The default value is 100,000.</value>
    public long MaxLoopIterations { get; init; } = 100_000;

    /// <summary>
    /// Gets the work budget of one render: every unit of work the template causes is charged against it, so that no
    /// template can keep a core busy for long, whatever it does. A loop iteration costs one unit plus the size of its body
    /// (its number of tokens); a call of a template function costs one unit plus the size of its body, an include 33 units plus the size of its body; a
    /// builtin call costs one unit; every element an array or string operation creates or visits costs one unit; a regular
    /// expression costs one unit per character it scans, and other string and hash builtins, string comparisons and
    /// printing one unit per 16 characters. Exceeding it stops the render with a <see cref="TemplateLimitExceededException"/>
    /// naming <c>MaxWork</c>; the render's cancellation token is checked whenever work is charged.
    /// </summary>
    /// <value>The default value is 5,000,000: the worst templates we know stop within about 0.35 s of CPU on a small server
    /// core, while the product-list benchmark template (100 products) needs under 10,000.</value>
    public long MaxWork { get; init; } = 5_000_000;

    /// <summary>Gets the maximum depth of nested function calls and includes (recursion).</summary>
    /// <value>The default value is 100 (Scriban's default).</value>
    public int MaxRecursionDepth { get; init; } = 100;

    /// <summary>Gets the maximum number of characters (UTF-16 code units, also for UTF-8 output) one render may write, captures included.</summary>
    /// <value>The default value is 4,000,000.</value>
    public long MaxOutputLength { get; init; } = 4_000_000;

    /// <summary>Gets the maximum nesting of parentheses, brackets, braces, unary operators and blocks while parsing; deeper input gets a diagnostic.</summary>
    /// <value>The default value is 200.</value>
    public int MaxParseDepth { get; init; } = 200;

    /// <summary>Gets the maximum number of items a range (<c>1..n</c>) may produce.</summary>
    /// <value>The default value is 100,000.</value>
    public int MaxRangeLength { get; init; } = 100_000;

    /// <summary>Gets the maximum length of a string built by an operator or builtin (e.g. <c>"a" * n</c>, <c>string.pad_left</c>).</summary>
    /// <value>The default value is 1,000,000.</value>
    public int MaxStringLength { get; init; } = 1_000_000;

    /// <summary>
    /// Gets the maximum total number of characters of strings built by operators and builtins in one render
    /// (so that a loop cannot keep concatenating large strings for minutes).
    /// </summary>
    /// <value>The default value is 100,000,000.</value>
    public long MaxTotalStringLength { get; init; } = 100_000_000;

    /// <summary>Gets the match timeout of each regular expression evaluation.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the maximum number of characters of one template source (parse and include).</summary>
    /// <value>The default value is 1,000,000.</value>
    public int MaxSourceLength { get; init; } = 1_000_000;
}

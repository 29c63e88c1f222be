namespace Personalize.Templates;

/// <summary>
/// A render hit one of the sandbox limits of <see cref="TemplateLimits"/>. <see cref="LimitName"/> names the
/// limit (e.g. <c>MaxLoopIterations</c>) so hosts can tell a runaway template from a data problem.
/// </summary>
public sealed class TemplateLimitExceededException : TemplateRuntimeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limitName">The <see cref="TemplateLimits"/> property that was exceeded.</param>
    /// <param name="limit">The configured value.</param>
    /// <param name="detail">What went wrong and how to fix it.</param>
    /// <param name="span">Where in the template.</param>
    /// <param name="sourceName">The template's name, or <see langword="null"/>.</param>
    public TemplateLimitExceededException(string limitName, long limit, string detail, SourceSpan span, string? sourceName = null)
        : base(detail, span, sourceName)
    {
        LimitName = limitName;
        Limit = limit;
    }

    /// <summary>Gets the name of the <see cref="TemplateLimits"/> property that was exceeded.</summary>
    public string LimitName { get; }

    /// <summary>Gets the configured value of the limit.</summary>
    public long Limit { get; }
}

namespace Personalize.Decisions;

/// <summary>
/// What a rule says about a candidate (or a candidate on a channel): pass, block, or block now but allow at a
/// later instant (<see cref="RetryAt"/>, used to defer). Built-in rules keep the facts and the engine words the
/// sentence only when asked, so evaluating allocates nothing.
/// </summary>
public readonly struct RuleResult
{
    private readonly string? _reason;
    private readonly long _retryTicks;
    private readonly long _instantTicks;

    internal RuleResult(string code, string? reason, DateTimeOffset? retryAt, object? subject = null, int number = 0, DateTimeOffset instant = default)
    {
        Code = code;
        _reason = reason;
        _retryTicks = retryAt is { } retry ? retry.UtcTicks : 0;
        Subject = subject;
        Number = number;
        _instantTicks = instant.UtcTicks;
    }

    /// <summary>The rule passes.</summary>
    public static RuleResult Pass => default;

    /// <summary>Whether the rule passes.</summary>
    public bool Passed => Code is null;

    /// <summary>The stable code when blocked (see <see cref="DecisionCodes"/>); <see langword="null"/> when passed.</summary>
    public string? Code { get; }

    /// <summary>When blocked now, the first instant the rule would pass (the engine defers to it); <see langword="null"/> when it never will.</summary>
    public DateTimeOffset? RetryAt => _retryTicks == 0 ? null : new DateTimeOffset(_retryTicks, TimeSpan.Zero);

    /// <summary>The host's reason sentence, or <see langword="null"/> for built-in rules (worded by the decision).</summary>
    public string? Reason => _reason;

    /// <summary>The fact behind a built-in result (a cap, a consent record, a condition, a topic).</summary>
    internal object? Subject { get; }

    /// <summary>A count behind a built-in result.</summary>
    internal int Number { get; }

    /// <summary>An instant behind a built-in result (UTC).</summary>
    internal DateTimeOffset Instant => new(_instantTicks, TimeSpan.Zero);

    /// <summary>Blocks the candidate.</summary>
    /// <param name="code">A stable code, for example <c>host.credit_hold</c>.</param>
    /// <param name="reason">A sentence a marketer understands.</param>
    /// <returns>The result.</returns>
    public static RuleResult Block(string code, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new RuleResult(code, reason, null);
    }

    /// <summary>Blocks the candidate now but allows it at <paramref name="retryAt"/> (a deferrable message is deferred there).</summary>
    /// <param name="code">A stable code.</param>
    /// <param name="reason">A sentence a marketer understands.</param>
    /// <param name="retryAt">The first instant the rule would pass.</param>
    /// <returns>The result.</returns>
    public static RuleResult Defer(string code, string reason, DateTimeOffset retryAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new RuleResult(code, reason, retryAt);
    }

    /// <summary>The code, or <c>pass</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Code ?? "pass";
}

namespace Personalize.Decisions;

/// <summary>
/// What a rule says about a candidate (or a candidate on a channel): pass, block, or block now but allow at a
/// later instant (<see cref="RetryAt"/>, used to defer). Built-in rules keep the facts and the engine words the
/// sentence only when asked, so evaluating allocates nothing.
/// </summary>
public readonly struct RuleResult
{
    // 40 bytes: decisions keep one per outcome, so the host's sentence and a built-in rule's fact share a field.
    private readonly object? _detail;
    private readonly long _retryTicks;
    private readonly long _instantTicks;
    private readonly bool _hostReason;

    internal RuleResult(string code, string? reason, DateTimeOffset? retryAt, object? subject = null, int number = 0, DateTimeOffset instant = default)
        : this(code, reason ?? subject, reason is not null, retryAt is { } retry ? retry.UtcTicks : 0, number, instant.UtcTicks)
    {
    }

    /// <summary>Rebuilds a result from the fields a decision keeps (see <see cref="ChannelEntry"/>, <see cref="CandidateEntry"/>).</summary>
    internal RuleResult(string? code, object? detail, bool hostReason, long retryTicks, int number, long instantTicks)
    {
        Code = code;
        _detail = detail;
        _hostReason = hostReason;
        _retryTicks = retryTicks;
        Number = number;
        _instantTicks = instantTicks;
    }

    /// <summary>The rule passes.</summary>
    public static RuleResult Pass => default;

    /// <summary>
    /// Whether <paramref name="result"/> passes; when it blocks it is copied to <paramref name="blocked"/>. The engine's
    /// fast paths answer "passes?" and write a result only when a rule blocks, so the common pass copies none.
    /// </summary>
    internal static bool PassesOrKeep(in RuleResult result, ref RuleResult blocked)
    {
        if (result.Code is null)
        {
            return true;
        }

        blocked = result;
        return false;
    }

    /// <summary>Whether the rule passes.</summary>
    public bool Passed => Code is null;

    /// <summary>The stable code when blocked (see <see cref="DecisionCodes"/>); <see langword="null"/> when passed.</summary>
    public string? Code { get; }

    /// <summary>When blocked now, the first instant the rule would pass (the engine defers to it); <see langword="null"/> when it never will.</summary>
    public DateTimeOffset? RetryAt => _retryTicks == 0 ? null : new DateTimeOffset(_retryTicks, TimeSpan.Zero);

    /// <summary>The host's reason sentence, or <see langword="null"/> for built-in rules (worded by the decision).</summary>
    public string? Reason => _hostReason ? (string?)_detail : null;

    /// <summary>The fact behind a built-in result (a cap, a consent record, a condition, a topic).</summary>
    internal object? Subject => _hostReason ? null : _detail;

    /// <summary>The host's sentence or the built-in fact, as kept (<see cref="IsHostReason"/> says which).</summary>
    internal object? Detail => _detail;

    /// <summary>Whether <see cref="Detail"/> is the host's sentence.</summary>
    internal bool IsHostReason => _hostReason;

    /// <summary>The retry instant's UTC ticks, 0 for none.</summary>
    internal long RetryTicks => _retryTicks;

    /// <summary>The instant's UTC ticks.</summary>
    internal long InstantTicks => _instantTicks;

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

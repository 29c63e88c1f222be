namespace Personalize.Consent;

/// <summary>
/// One grant or withdrawal, as evidence: what, granted or withdrawn, when (UTC), where from, the wording
/// shown (or its version), and for grants single or double opt-in and when it was confirmed.
/// Records are never changed; a new record is appended to the <see cref="ConsentLedger"/>.
/// </summary>
public sealed record ConsentRecord
{
    // The instants as UTC ticks (8 bytes each, where a DateTimeOffset takes 16 and a nullable one 24): a store reads a
    // few records per customer for every page of a send run. NoConfirmation stands for null.
    private const long NoConfirmation = -1;
    private readonly long _recordedTicks;
    private readonly long _confirmedTicks = NoConfirmation;

    /// <summary>What the record is about.</summary>
    public required ConsentScope Scope { get; init; }

    /// <summary>Grant or withdrawal.</summary>
    public required ConsentAction Action { get; init; }

    /// <summary>When the customer acted, stored in UTC.</summary>
    public required DateTimeOffset RecordedAt
    {
        get => new(_recordedTicks, TimeSpan.Zero);
        init => _recordedTicks = value.UtcTicks;
    }

    /// <summary>Where the record came from.</summary>
    public required ConsentSource Source { get; init; }

    /// <summary>The wording shown to the customer, if stored verbatim.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Wording { get; init; }

    /// <summary>The version of the wording shown, for example <c>pc-2026-01</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? WordingVersion { get; init; }

    /// <summary>Single or double opt-in (grants only).</summary>
    /// <value>The default value is <see cref="OptInMethod.Single"/>.</value>
    public OptInMethod OptIn { get; init; }

    /// <summary>
    /// The evidence of how the customer acted, without personal data: for a choice made in a browser, a keyed hash
    /// (HMAC-SHA256 under a key of the host's, lower-case hex) of the client's IP address and user agent, so the same
    /// device can be recognised later by whoever holds the key while the record holds neither the address nor the agent.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (not recorded).</value>
    public string? MethodEvidence { get; init; }

    /// <summary>When a double opt-in was confirmed, in UTC; <see langword="null"/> while pending.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DateTimeOffset? ConfirmedAt
    {
        get => _confirmedTicks == NoConfirmation ? null : new DateTimeOffset(_confirmedTicks, TimeSpan.Zero);
        init => _confirmedTicks = value is { } confirmed ? confirmed.UtcTicks : NoConfirmation;
    }

    /// <summary><see cref="RecordedAt"/> in UTC ticks.</summary>
    internal long RecordedTicks => _recordedTicks;

    /// <summary><see cref="ConfirmedAt"/> in UTC ticks; <see cref="long.MinValue"/> while pending.</summary>
    internal long ConfirmedTicksOrMin => _confirmedTicks == NoConfirmation ? long.MinValue : _confirmedTicks;

    /// <summary>Whether this is a double opt-in grant that has not been confirmed. A pending grant is not consent.</summary>
    public bool IsPending => Action == ConsentAction.Grant && OptIn == OptInMethod.Double && _confirmedTicks == NoConfirmation;

    /// <summary>When the record takes effect: the confirmation time for a confirmed double opt-in, else <see cref="RecordedAt"/>.</summary>
    public DateTimeOffset EffectiveAt => Action == ConsentAction.Grant && OptIn == OptInMethod.Double && ConfirmedAt is { } confirmed
        ? confirmed
        : RecordedAt;

    /// <summary>Creates a grant.</summary>
    /// <param name="scope">What is granted.</param>
    /// <param name="recordedAt">When.</param>
    /// <param name="source">Where from.</param>
    /// <param name="wordingVersion">The version of the wording shown.</param>
    /// <param name="optIn">Single or double opt-in.</param>
    /// <param name="confirmedAt">When a double opt-in was confirmed.</param>
    /// <returns>The record.</returns>
    public static ConsentRecord Grant(ConsentScope scope, DateTimeOffset recordedAt, ConsentSource source, string? wordingVersion = null, OptInMethod optIn = OptInMethod.Single, DateTimeOffset? confirmedAt = null)
        => new()
        {
            Scope = scope,
            Action = ConsentAction.Grant,
            RecordedAt = recordedAt,
            Source = source,
            WordingVersion = wordingVersion,
            OptIn = optIn,
            ConfirmedAt = confirmedAt,
        };

    /// <summary>Creates a withdrawal.</summary>
    /// <param name="scope">What is withdrawn.</param>
    /// <param name="recordedAt">When.</param>
    /// <param name="source">Where from.</param>
    /// <returns>The record.</returns>
    public static ConsentRecord Withdraw(ConsentScope scope, DateTimeOffset recordedAt, ConsentSource source)
        => new()
        {
            Scope = scope,
            Action = ConsentAction.Withdraw,
            RecordedAt = recordedAt,
            Source = source,
        };
}

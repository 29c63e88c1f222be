namespace Personalize.Consent;

/// <summary>
/// The well-formedness rules of one consent record, in one place: the validating JSON reader turns each problem into
/// an error at its path, and the store's fast reader refuses a record with any problem (handing it back to the
/// validating reader for its error). A rule changed here changes both, so the fast path cannot accept what the
/// validator refuses.
/// </summary>
internal static class ConsentRecordRules
{
    /// <summary>Checks a record's fields (the ones that could be read; an unreadable field is its reader's own error).</summary>
    /// <param name="action">Grant or withdrawal; <see langword="null"/> when missing or unreadable (the rules on it are then not applied).</param>
    /// <param name="optInGiven">Whether the record names an opt-in method at all.</param>
    /// <param name="optIn">The opt-in method (single when not named).</param>
    /// <param name="wording">The wording shown.</param>
    /// <param name="wordingVersion">The version of the wording shown.</param>
    /// <param name="recordedAt">When the customer acted; <see langword="null"/> when missing or unreadable.</param>
    /// <param name="confirmedAt">When a double opt-in was confirmed.</param>
    /// <param name="methodEvidence">The keyed hash of how the customer acted.</param>
    /// <returns>Every rule the record breaks; <see cref="ConsentRecordProblems.None"/> when it is well formed.</returns>
    public static ConsentRecordProblems Check(ConsentAction? action, bool optInGiven, OptInMethod optIn, string? wording, string? wordingVersion, DateTimeOffset? recordedAt, DateTimeOffset? confirmedAt, string? methodEvidence)
    {
        var problems = ConsentRecordProblems.None;
        if (optInGiven && action == ConsentAction.Withdraw)
        {
            problems |= ConsentRecordProblems.OptInOnWithdrawal;
        }

        if (action == ConsentAction.Grant && wording is null && wordingVersion is null)
        {
            problems |= ConsentRecordProblems.GrantWithoutWording;
        }

        if (confirmedAt is not null && optIn != OptInMethod.Double)
        {
            problems |= ConsentRecordProblems.ConfirmationNotDouble;
        }
        else if (confirmedAt is { } confirmed && recordedAt is { } at && confirmed < at)
        {
            problems |= ConsentRecordProblems.ConfirmationBeforeRecord;
        }

        if (methodEvidence is not null && !MethodEvidence.IsWellFormed(methodEvidence))
        {
            problems |= ConsentRecordProblems.MethodEvidenceMalformed;
        }

        return problems;
    }
}

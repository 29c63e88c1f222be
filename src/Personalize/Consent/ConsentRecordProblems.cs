namespace Personalize.Consent;

/// <summary>The rules a consent record can break (<see cref="ConsentRecordRules.Check"/>).</summary>
[Flags]
internal enum ConsentRecordProblems
{
    /// <summary>Well formed.</summary>
    None = 0,

    /// <summary>A withdrawal names an opt-in method (grants only).</summary>
    OptInOnWithdrawal = 1,

    /// <summary>A grant has neither its wording nor the wording's version.</summary>
    GrantWithoutWording = 2,

    /// <summary>A confirmation on a record that is not a double opt-in grant.</summary>
    ConfirmationNotDouble = 4,

    /// <summary>A confirmation dated before the record.</summary>
    ConfirmationBeforeRecord = 8,

    /// <summary>Method evidence that is not a keyed hash (64 lower-case hex characters).</summary>
    MethodEvidenceMalformed = 16,
}

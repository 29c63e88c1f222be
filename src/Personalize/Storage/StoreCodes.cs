namespace Personalize.Storage;

/// <summary>Stable codes of store refusals (<see cref="ImportError.Code"/>).</summary>
public static class StoreCodes
{
    /// <summary>A customer without an id.</summary>
    public const string InvalidId = "import.invalid_id";

    /// <summary>The same customer id twice in one import.</summary>
    public const string DuplicateId = "import.duplicate_id";

    /// <summary>The prefix of the codes for a contact point on the suppression list: <c>suppressed.</c> and the reason, for example <c>suppressed.erased</c>.</summary>
    public const string SuppressedPrefix = "suppressed.";

    /// <summary>The code for a contact point suppressed for a reason.</summary>
    /// <param name="reason">The suppression reason (see <see cref="SuppressionReasons"/>).</param>
    /// <returns>For example <c>suppressed.erased</c>.</returns>
    public static string Suppressed(string reason) => SuppressedPrefix + reason;
}

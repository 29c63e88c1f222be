namespace Personalize.Decisions;

/// <summary>How many catalog messages a decision reports on.</summary>
public enum DecisionDetail
{
    /// <summary>The candidates: messages that answer the trigger and target the customer's stage (found by the compiled index). The fast default.</summary>
    Candidates = 0,

    /// <summary>Every catalog message; those the index skipped are reported with <c>eligibility.trigger</c> or <c>eligibility.stage</c>. For explaining.</summary>
    All = 1,
}

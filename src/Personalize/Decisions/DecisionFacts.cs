using Personalize.Catalog;
using Personalize.Events;

namespace Personalize.Decisions;

/// <summary>Which of a customer's facts a decision read (<see cref="Decision.FactsRead"/>); worked out on demand, for explaining.</summary>
internal static class DecisionFacts
{
    /// <summary>The facts behind each service flag a condition can read (<c>customer.needs_service_first</c> reads all three).</summary>
    private static readonly string[] ServiceFlagFacts = [FactNames.OpenComplaint, FactNames.NpsDetractor, FactNames.FailedPayment];

    public static IReadOnlyList<string> Read(Decision decision)
    {
        var facts = decision.Customer.Facts;
        if (facts.Count == 0)
        {
            return [];
        }

        var read = new SortedSet<string>(StringComparer.Ordinal);
        Add(read, facts, FactNames.Stage);
        if (decision.Engine.TierOf(decision.Customer) is not null)
        {
            Add(read, facts, FactNames.Tier);
        }

        foreach (var candidate in decision.Candidates)
        {
            if (candidate.Rule == "service_first")
            {
                AddAll(read, facts, ServiceFlagFacts);
            }

            if ((candidate.Status == CandidateStatus.Selected || candidate.Code is DecisionCodes.Condition or DecisionCodes.ConditionError)
                && candidate.Message.Condition is ExpressionCondition condition)
            {
                foreach (var path in condition.Expression.GetReadPaths())
                {
                    AddPath(read, facts, path);
                }
            }
        }

        return [.. read];
    }

    /// <summary>The facts one variable path of a condition reads.</summary>
    private static void AddPath(SortedSet<string> read, CustomerFacts facts, string path)
    {
        const string Customer = "customer.";
        if (!path.StartsWith(Customer, StringComparison.Ordinal))
        {
            return;
        }

        var member = path[Customer.Length..];
        var dot = member.IndexOf('.', StringComparison.Ordinal);
        var head = dot < 0 ? member : member[..dot];
        switch (head)
        {
            case "facts" when dot < 0:
                foreach (var name in facts.Keys)
                {
                    read.Add(name);
                }

                break;
            case "facts":
                // The longest fact name the rest of the path starts with (fact names may hold dots: answer.color).
                var rest = member[(dot + 1)..];
                string? best = null;
                foreach (var name in facts.Keys)
                {
                    if ((rest == name || rest.StartsWith(name + ".", StringComparison.Ordinal)) && (best is null || name.Length > best.Length))
                    {
                        best = name;
                    }
                }

                if (best is not null)
                {
                    read.Add(best);
                }

                break;
            case "tier":
                Add(read, facts, FactNames.Tier);
                break;
            case "matrix":
                var axis = dot < 0 ? null : member[(dot + 1)..];
                if (axis is null or "longevity")
                {
                    Add(read, facts, FactNames.MatrixLongevity);
                }

                if (axis is null or "strength")
                {
                    Add(read, facts, FactNames.MatrixStrength);
                }

                break;
            case "stage":
                Add(read, facts, FactNames.Stage);
                break;
            case "open_complaint":
                Add(read, facts, FactNames.OpenComplaint);
                break;
            case "failed_payment":
                Add(read, facts, FactNames.FailedPayment);
                break;
            case "nps_score":
                Add(read, facts, FactNames.NpsScore);
                break;
            case "is_detractor":
                Add(read, facts, FactNames.NpsDetractor);
                break;
            case "needs_service_first":
                AddAll(read, facts, ServiceFlagFacts);
                break;
        }
    }

    private static void AddAll(SortedSet<string> read, CustomerFacts facts, string[] names)
    {
        foreach (var name in names)
        {
            Add(read, facts, name);
        }
    }

    private static void Add(SortedSet<string> read, CustomerFacts facts, string name)
    {
        if (facts.ContainsKey(name))
        {
            read.Add(name);
        }
    }
}

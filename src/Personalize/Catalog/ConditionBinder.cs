using Personalize.Customers;
using Personalize.Templates;

namespace Personalize.Catalog;

/// <summary>
/// Binds a condition's <c>customer.X</c> and <c>trigger.X</c> to <see cref="ConditionContext"/> once, when the condition
/// is compiled: the profile's own members become typed reads of the profile (no boxing), an attribute a read of the
/// thread's <see cref="AttributeCache"/> (the attributes are walked once per key and attribute set) that hands a JSON
/// value over without decoding it; each reads what <see cref="ConditionContext.Model"/>
/// would give the interpreter (the differential tests hold the two together).
/// </summary>
internal sealed class ConditionBinder : ExpressionBinder<ConditionContext>
{
    public static readonly ConditionBinder Instance = new();

    private ConditionBinder()
    {
    }

    public override object? ToModel(ConditionContext model) => model.Model;

    public override ExpressionReader<ConditionContext>? Bind(string root, string member) => root switch
    {
        "customer" => BindCustomer(member),
        "trigger" => member switch
        {
            "kind" => static c => ExpressionValue.From(ConditionContext.TriggerKindName(c.Trigger.Kind)),
            "name" => static c => ExpressionValue.From(c.Trigger.Name),
            _ => static _ => ExpressionValue.Missing,
        },
        _ => null,
    };

    /// <summary>
    /// The numbers and booleans of <see cref="Bind"/> without building an <see cref="ExpressionValue"/>: an attribute's
    /// number or boolean from the thread's <see cref="AttributeCache"/>, the service flags' fields. Anything else —
    /// text, a placed matrix value, a derived day count, a missing attribute — is <see cref="ExpressionScalar.Other"/>,
    /// and the compiled condition asks the reader <see cref="Bind"/> gave.
    /// </summary>
    public override ExpressionScalarReader<ConditionContext>? BindScalar(string root, string member)
    {
        if (root != "customer")
        {
            return null;
        }

        if (!CustomerModel.IsProfileKey(member))
        {
            var matrix = member is "tier" or "matrix";
            var slot = AttributeCache.SlotOf(member);
            return c => matrix && c.Customer.Facts.Count > 0 ? ExpressionScalar.Other : AttributeCache.ReadScalar(c.Customer.Attributes, slot, member);
        }

        return member switch
        {
            "personalized" or "allows_personalization" => static c => ExpressionScalar.From(c.Customer.AllowsPersonalization),
            "open_complaint" => static c => ExpressionScalar.From(c.Customer.ServiceFlags.OpenComplaint),
            "failed_payment" => static c => ExpressionScalar.From(c.Customer.ServiceFlags.FailedPayment),
            "nps_score" => static c => ExpressionScalar.From(c.Customer.ServiceFlags.NpsScore),
            "is_detractor" => static c => ExpressionScalar.From(c.Customer.ServiceFlags.IsDetractor),
            "needs_service_first" => static c => ExpressionScalar.From(c.Customer.ServiceFlags.NeedsServiceFirst),
            _ => null,
        };
    }

    /// <summary>
    /// <c>customer.X == 'text'</c> compared once per customer, literal and thread for a JSON string attribute
    /// (<see cref="AttributeCache.TextEquals"/>) and directly for the stage and the language; anything else — a placed
    /// matrix value, a missing attribute, a value that is not text — is <see cref="ExpressionScalar.Other"/>, compared
    /// by the compiled condition as before.
    /// </summary>
    public override ExpressionScalarReader<ConditionContext>? BindTextEquals(string root, string member, string text)
    {
        if (root != "customer")
        {
            return null;
        }

        if (!CustomerModel.IsProfileKey(member))
        {
            var matrix = member is "tier" or "matrix";
            var slot = AttributeCache.SlotOf(member);
            var literal = slot < 0 ? -1 : AttributeCache.LiteralOf(slot, text);
            return literal < 0
                ? null
                : c => matrix && c.Customer.Facts.Count > 0 ? ExpressionScalar.Other : AttributeCache.TextEquals(c.Customer.Attributes, slot, member, literal);
        }

        return member switch
        {
            "stage" => c => ExpressionScalar.From(string.Equals(CustomerModel.StageName(c.Customer.Stage), text, StringComparison.Ordinal)),
            "language" => c => c.Customer.Language is { } language ? ExpressionScalar.From(string.Equals(language, text, StringComparison.Ordinal)) : ExpressionScalar.Other,
            _ => null,
        };
    }

    private static ExpressionReader<ConditionContext> BindCustomer(string key)
    {
        if (!CustomerModel.IsProfileKey(key))
        {
            // The relationship matrix once the customer is placed (a customer without facts is not: no lookup); else
            // personal: an attribute under its snake_case name, else a member derived from the attributes.
            var matrix = key is "tier" or "matrix";
            var slot = AttributeCache.SlotOf(key);
            return c =>
            {
                var customer = c.Customer;
                if (matrix && customer.Facts.Count > 0 && CustomerModel.TryGetMatrixValue(customer, key, out var placed))
                {
                    return ExpressionValue.FromObject(placed);
                }

                var attribute = AttributeCache.Read(customer.Attributes, slot, key);
                if (!attribute.IsMissing)
                {
                    return attribute;
                }

                return CustomerModel.TryGetDerived(customer, c.At, key, out var derived) ? ExpressionValue.FromObject(derived) : ExpressionValue.Missing;
            };
        }

        return key switch
        {
            "id" => static c => ExpressionValue.From(c.Customer.Id),
            "stage" => static c => ExpressionValue.From(CustomerModel.StageName(c.Customer.Stage)),
            "language" => static c => ExpressionValue.From(c.Customer.Language),
            "personalized" or "allows_personalization" => static c => ExpressionValue.From(c.Customer.AllowsPersonalization),
            "open_complaint" => static c => ExpressionValue.From(c.Customer.ServiceFlags.OpenComplaint),
            "failed_payment" => static c => ExpressionValue.From(c.Customer.ServiceFlags.FailedPayment),
            "nps_score" => static c => ExpressionValue.From(c.Customer.ServiceFlags.NpsScore),
            "is_detractor" => static c => ExpressionValue.From(c.Customer.ServiceFlags.IsDetractor),
            "needs_service_first" => static c => ExpressionValue.From(c.Customer.ServiceFlags.NeedsServiceFirst),

            // Any other member of the profile (lists, preferences, counts): read as the model reads it.
            _ => c => CustomerModel.TryGetProfileValue(c.Customer, c.At, key, out var value) ? ExpressionValue.FromObject(value) : ExpressionValue.Missing,
        };
    }
}

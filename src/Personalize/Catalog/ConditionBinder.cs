using System.Collections.Frozen;
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

    /// <summary>
    /// The profile's number and boolean members (personalization and the service flags), one row per member with both
    /// readers, so <see cref="Bind"/> and <see cref="BindScalar"/> cannot come to disagree on which members they know
    /// or what they read.
    /// </summary>
    private static readonly FrozenDictionary<string, ScalarMember> ScalarMembers = ScalarMemberTable();

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

        return ScalarMembers.TryGetValue(member, out var readers) ? readers.Scalar : null;
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

        if (ScalarMembers.TryGetValue(key, out var readers))
        {
            return readers.Value;
        }

        return key switch
        {
            "id" => static c => ExpressionValue.From(c.Customer.Id),
            "stage" => static c => ExpressionValue.From(CustomerModel.StageName(c.Customer.Stage)),
            "language" => static c => ExpressionValue.From(c.Customer.Language),

            // Any other member of the profile (lists, preferences, counts): read as the model reads it.
            _ => c => CustomerModel.TryGetProfileValue(c.Customer, c.At, key, out var value) ? ExpressionValue.FromObject(value) : ExpressionValue.Missing,
        };
    }

    private static FrozenDictionary<string, ScalarMember> ScalarMemberTable()
    {
        var personalized = new ScalarMember(static c => ExpressionValue.From(c.Customer.AllowsPersonalization), static c => ExpressionScalar.From(c.Customer.AllowsPersonalization));
        return new Dictionary<string, ScalarMember>(StringComparer.Ordinal)
        {
            ["personalized"] = personalized,
            ["allows_personalization"] = personalized,
            ["open_complaint"] = new(static c => ExpressionValue.From(c.Customer.ServiceFlags.OpenComplaint), static c => ExpressionScalar.From(c.Customer.ServiceFlags.OpenComplaint)),
            ["failed_payment"] = new(static c => ExpressionValue.From(c.Customer.ServiceFlags.FailedPayment), static c => ExpressionScalar.From(c.Customer.ServiceFlags.FailedPayment)),
            ["nps_score"] = new(static c => ExpressionValue.From(c.Customer.ServiceFlags.NpsScore), static c => ExpressionScalar.From(c.Customer.ServiceFlags.NpsScore)),
            ["is_detractor"] = new(static c => ExpressionValue.From(c.Customer.ServiceFlags.IsDetractor), static c => ExpressionScalar.From(c.Customer.ServiceFlags.IsDetractor)),
            ["needs_service_first"] = new(static c => ExpressionValue.From(c.Customer.ServiceFlags.NeedsServiceFirst), static c => ExpressionScalar.From(c.Customer.ServiceFlags.NeedsServiceFirst)),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A profile member that is a number or a boolean: its value reader and its scalar reader, side by side.</summary>
    private readonly record struct ScalarMember(ExpressionReader<ConditionContext> Value, ExpressionScalarReader<ConditionContext> Scalar);
}

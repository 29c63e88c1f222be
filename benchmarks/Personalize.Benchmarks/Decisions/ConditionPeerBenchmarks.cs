using System.Linq.Expressions;
using System.Text.Json;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using NRules;
using NRules.RuleModel;
using NRules.RuleModel.Builders;
using Personalize.Catalog;
using Personalize.Customers;
using RulesEngine.Models;

namespace Personalize.Benchmarks.Decisions;

/// <summary>
/// Issue 18: 30 catalog-style conditions over one customer, side by side in one run — Personalize's conditions
/// interpreted (<see cref="Templates.TemplateExpression.EvaluateCondition"/> over the condition model) and compiled
/// (<see cref="ExpressionCondition.IsSatisfiedBy"/>), Microsoft RulesEngine 6.0.1 (lambda expressions,
/// <c>ExecuteAllRulesAsync</c>), NRules 1.0.4 (one rule per condition, insert, fire, retract), and plain C# delegates
/// as the floor. Setup checks that all five give the same 30 truth values. Per operation: all 30 conditions.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ConditionPeerBenchmarks
{
    /// <summary>The conditions, in Personalize's language and as C# over <see cref="Facts"/> (RulesEngine's text is derived from the first).</summary>
    private static readonly (string Source, Expression<Func<Facts, bool>> Lambda)[] Conditions =
    [
        ("customer.days_since_purchase > 40 && customer.tier == 'gold'", f => f.DaysSincePurchase > 40 && f.Tier == "gold"),
        ("customer.orders >= 3 || customer.stage == 'retention'", f => f.Orders >= 3 || f.Stage == "retention"),
        ("customer.nps_score <= 6 && !customer.open_complaint", f => f.NpsScore <= 6 && !f.OpenComplaint),
        ("customer.vip && customer.loyalty_points >= 400", f => f.Vip && f.LoyaltyPoints >= 400),
        ("customer.cart_value > 50 && customer.days_since_purchase < 90", f => f.CartValue > 50 && f.DaysSincePurchase < 90),
        ("customer.country == 'DE' && customer.language == 'de'", f => f.Country == "DE" && f.Language == "de"),
        ("customer.sessions_7d == 0 && customer.email_opens_30d < 2", f => f.Sessions7d == 0 && f.EmailOpens30d < 2),
        ("!customer.failed_payment && customer.plan != 'free'", f => !f.FailedPayment && f.Plan != "free"),
        ("customer.days_since_signup > 365 && customer.orders < 10", f => f.DaysSinceSignup > 365 && f.Orders < 10),
        ("customer.tier == 'silver' || customer.tier == 'bronze'", f => f.Tier == "silver" || f.Tier == "bronze"),
        ("customer.age >= 18 && customer.age < 30", f => f.Age >= 18 && f.Age < 30),
        ("customer.returns > 2 && customer.avg_order_value < 20", f => f.Returns > 2 && f.AvgOrderValue < 20),
        ("customer.push_enabled && customer.sessions_7d >= 3", f => f.PushEnabled && f.Sessions7d >= 3),
        ("customer.stage == 'adoption' && customer.orders == 1", f => f.Stage == "adoption" && f.Orders == 1),
        ("customer.nps_score >= 9 && customer.orders >= 2", f => f.NpsScore >= 9 && f.Orders >= 2),
        ("customer.loyalty_points < 100 || customer.days_since_purchase > 180", f => f.LoyaltyPoints < 100 || f.DaysSincePurchase > 180),
        ("customer.avg_order_value >= 50.0 && customer.vip", f => f.AvgOrderValue >= 50.0 && f.Vip),
        ("customer.open_complaint || customer.failed_payment", f => f.OpenComplaint || f.FailedPayment),
        ("customer.plan == 'plus' && customer.cart_value >= 75.0", f => f.Plan == "plus" && f.CartValue >= 75.0),
        ("customer.country != 'US' && customer.email_opens_30d >= 5", f => f.Country != "US" && f.EmailOpens30d >= 5),
        ("customer.days_since_signup < 30 && customer.stage == 'exposure'", f => f.DaysSinceSignup < 30 && f.Stage == "exposure"),
        ("customer.orders > 5 && customer.returns == 0", f => f.Orders > 5 && f.Returns == 0),
        ("customer.tier == 'gold' && customer.nps_score < 7", f => f.Tier == "gold" && f.NpsScore < 7),
        ("customer.sessions_7d > 10 || customer.email_opens_30d > 20", f => f.Sessions7d > 10 || f.EmailOpens30d > 20),
        ("customer.age > 60 && customer.push_enabled", f => f.Age > 60 && f.PushEnabled),
        ("customer.cart_value == 0 && customer.sessions_7d > 0", f => f.CartValue == 0 && f.Sessions7d > 0),
        ("customer.loyalty_points >= 1000 && customer.tier != 'gold'", f => f.LoyaltyPoints >= 1000 && f.Tier != "gold"),
        ("customer.days_since_purchase >= 30 && customer.days_since_purchase <= 60", f => f.DaysSincePurchase >= 30 && f.DaysSincePurchase <= 60),
        ("customer.language == 'en' || customer.country == 'GB'", f => f.Language == "en" || f.Country == "GB"),
        ("!customer.vip && customer.orders >= 3 && customer.days_since_purchase > 120", f => !f.Vip && f.Orders >= 3 && f.DaysSincePurchase > 120),
    ];

    private static readonly Facts TheFacts = new()
    {
        Tier = "gold", Orders = 5, DaysSincePurchase = 52, Stage = "retention", NpsScore = 5, OpenComplaint = false, Vip = true,
        LoyaltyPoints = 420, CartValue = 79.5, Country = "DE", Language = "de", Sessions7d = 3, EmailOpens30d = 7, FailedPayment = false,
        Plan = "plus", DaysSinceSignup = 400, Age = 34, Returns = 1, AvgOrderValue = 55.2, PushEnabled = true,
    };

    private ExpressionCondition[] _conditions = null!;
    private ConditionContext _context = null!;
    private ConditionContext[] _coldContexts = null!;
    private int _cold;
    private Func<Facts, bool>[] _delegates = null!;
    private RulesEngine.RulesEngine _rulesEngine = null!;
    private RuleParameter _parameter = null!;
    private ISession _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        _conditions = [.. Conditions.Select(c => ExpressionCondition.Parse(c.Source))];
        if (_conditions.FirstOrDefault(c => !c.IsCompiled) is { } interpreted)
        {
            throw new InvalidOperationException($"{interpreted.Source} is not compiled: {interpreted.InterpretedBecause}");
        }

        _context = new ConditionContext(Customer(), Trigger.Tick, new DateTimeOffset(2026, 3, 11, 10, 0, 0, TimeSpan.Zero));

        // Two customers with the same facts in two attribute dictionaries: taking turns, each operation reads a customer
        // whose attributes the thread has not cached, as a decision over a batch does.
        _coldContexts = [.. Enumerable.Range(0, 2).Select(_ => new ConditionContext(Customer(), Trigger.Tick, _context.At))];
        _delegates = [.. Conditions.Select(c => c.Lambda.Compile())];

        var rules = Conditions.Select((c, i) => new Rule
        {
            RuleName = "c" + i,
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Expression = RulesEngineText(c.Source),
        }).ToList();
        _rulesEngine = new RulesEngine.RulesEngine([new Workflow { WorkflowName = "conditions", Rules = rules }], new ReSettings());
        _parameter = new RuleParameter("customer", TheFacts);

        var ruleSet = new RuleSet("conditions");
        for (var i = 0; i < Conditions.Length; i++)
        {
            var builder = new RuleBuilder();
            builder.Name("c" + i);
            builder.Priority(i);
            builder.LeftHandSide().Pattern(typeof(Facts), "f").Condition(Conditions[i].Lambda);
            Expression<Action<IContext, Facts>> action = (ctx, f) => Fired.Hit(ctx.Rule.Priority);
            builder.RightHandSide().Action(action);
            ruleSet.Add(builder.Build());
        }

        _session = new RuleCompiler().Compile([ruleSet]).CreateSession();

        // The same 30 truth values from every engine.
        var expected = string.Concat(_delegates.Select(d => d(TheFacts) ? '1' : '0'));
        Check("Personalize, interpreted", expected, string.Concat(_conditions.Select(c => c.Expression.EvaluateCondition(_context.Model) ? '1' : '0')));
        Check("Personalize, compiled", expected, string.Concat(_conditions.Select(c => c.IsSatisfiedBy(_context) ? '1' : '0')));
        foreach (var cold in _coldContexts)
        {
            Check("Personalize, compiled (cold)", expected, string.Concat(_conditions.Select(c => c.IsSatisfiedBy(cold) ? '1' : '0')));
        }

        var results = _rulesEngine.ExecuteAllRulesAsync("conditions", _parameter).GetAwaiter().GetResult();
        Check("RulesEngine", expected, string.Concat(results.OrderBy(r => int.Parse(r.Rule.RuleName.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)).Select(r => r.IsSuccess ? '1' : '0')));
        Fired.Reset();
        NRulesFire();
        Check("NRules", expected, string.Concat(Fired.Flags.Select(f => f ? '1' : '0')));
        if (!expected.Contains('1', StringComparison.Ordinal) || !expected.Contains('0', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The workload should have conditions that hold and ones that do not: " + expected);
        }
    }

    [Benchmark(Description = "Personalize, interpreted (TemplateExpression.EvaluateCondition)")]
    public int Interpreted()
    {
        var count = 0;
        var model = _context.Model;
        foreach (var condition in _conditions)
        {
            count += condition.Expression.EvaluateCondition(model) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Baseline = true, Description = "Personalize, compiled (ExpressionCondition)")]
    public int Compiled()
    {
        var count = 0;
        foreach (var condition in _conditions)
        {
            count += condition.IsSatisfiedBy(_context) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// The compiled conditions over a customer whose attributes this thread has not read yet (two customers in turn):
    /// every attribute key is looked up in the attributes once per operation, as in a decision over a batch of customers.
    /// </summary>
    [Benchmark(Description = "Personalize, compiled, a customer not read before (cold attribute cache)")]
    public int CompiledCold()
    {
        var context = _coldContexts[_cold ^= 1];
        var count = 0;
        foreach (var condition in _conditions)
        {
            count += condition.IsSatisfiedBy(context) ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "Microsoft RulesEngine 6.0.1 (ExecuteAllRulesAsync)")]
    public int RulesEngineAll()
    {
        var count = 0;
        foreach (var result in _rulesEngine.ExecuteAllRulesAsync("conditions", _parameter).GetAwaiter().GetResult())
        {
            count += result.IsSuccess ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "NRules 1.0.4 (insert, fire, retract)")]
    public int NRulesAll() => NRulesFire();

    [Benchmark(Description = "C# delegates over a typed object (floor)")]
    public int Delegates()
    {
        var count = 0;
        foreach (var condition in _delegates)
        {
            count += condition(TheFacts) ? 1 : 0;
        }

        return count;
    }

    private int NRulesFire()
    {
        _session.Insert(TheFacts);
        var fired = _session.Fire();
        _session.Retract(TheFacts);
        return fired;
    }

    /// <summary>The customer the Personalize conditions read: the same facts as attributes and profile fields.</summary>
    private static CustomerProfile Customer()
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse("""
            {
              "tier": "gold", "orders": 5, "days_since_purchase": 52, "vip": true, "loyalty_points": 420, "cart_value": 79.5,
              "country": "DE", "sessions_7d": 3, "email_opens_30d": 7, "plan": "plus", "days_since_signup": 400, "age": 34,
              "returns": 1, "avg_order_value": 55.2, "push_enabled": true
            }
            """);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            attributes[property.Name] = property.Value.Clone();
        }

        return new CustomerProfile
        {
            Id = "c-1",
            Stage = LifecycleStage.Retention,
            Language = "de",
            ServiceFlags = new ServiceFlags { NpsScore = 5, OpenComplaint = false, FailedPayment = false },
            Attributes = attributes,
        };
    }

    /// <summary>Personalize's text as RulesEngine's lambda text: <c>customer.days_since_purchase</c> → <c>customer.DaysSincePurchase</c>, single quotes → double.</summary>
    private static string RulesEngineText(string source)
        => Regex.Replace(source, "customer\\.([a-z0-9_]+)", m => "customer." + string.Concat(m.Groups[1].Value.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..])))
            .Replace('\'', '"');

    private static void Check(string engine, string expected, string actual)
    {
        if (expected != actual)
        {
            throw new InvalidOperationException($"{engine} gives {actual}, the C# delegates {expected}");
        }
    }

    /// <summary>The facts as a typed object, for RulesEngine, NRules and the delegates.</summary>
    public sealed class Facts
    {
        public string Tier { get; init; } = "";

        public int Orders { get; init; }

        public int DaysSincePurchase { get; init; }

        public string Stage { get; init; } = "";

        public int NpsScore { get; init; }

        public bool OpenComplaint { get; init; }

        public bool Vip { get; init; }

        public int LoyaltyPoints { get; init; }

        public double CartValue { get; init; }

        public string Country { get; init; } = "";

        public string Language { get; init; } = "";

        public int Sessions7d { get; init; }

        public int EmailOpens30d { get; init; }

        public bool FailedPayment { get; init; }

        public string Plan { get; init; } = "";

        public int DaysSinceSignup { get; init; }

        public int Age { get; init; }

        public int Returns { get; init; }

        public double AvgOrderValue { get; init; }

        public bool PushEnabled { get; init; }
    }

    /// <summary>What NRules' actions record: which rules fired.</summary>
    public static class Fired
    {
        public static bool[] Flags { get; } = new bool[30];

        public static void Hit(int index) => Flags[index] = true;

        public static void Reset() => Array.Clear(Flags);
    }
}

using System.Buffers;

namespace Personalize.Templates.Tests.Docs;

/// <summary>The C# shown in <c>docs/templates.md</c> and <c>docs/liquid.md</c>, compiled and run by <see cref="DocsTests"/>.</summary>
internal static class TemplateSnippets
{
    public static (string Text, string Utf8, bool Due) Basics()
    {
        // begin-snippet: templates
        var template = Template.Parse("Hi {{ customer.first_name ?? 'there' }}! {{ for p in picks limit: 2 }}[{{ p | string.upcase }}]{{ end }}");
        if (template.HasErrors)
        {
            foreach (var d in template.Diagnostics) Console.WriteLine(d); // welcome(1,9) : error : …
        }

        var model = new { Customer = new { FirstName = "Ada" }, Picks = new[] { "tea", "cake", "jam" } };
        string text = template.Render(model);       // "Hi Ada! [TEA][CAKE]"
        var utf8 = new ArrayBufferWriter<byte>();
        template.RenderUtf8(utf8, model);           // the same text as UTF-8: the high-volume path

        var rule = TemplateExpression.Parse("customer.stage == 'retention' && customer.days_since_purchase > 60");
        bool due = rule.EvaluateCondition(new { Customer = new { Stage = "retention", DaysSincePurchase = 75 } }); // true
        // end-snippet
        return (text, System.Text.Encoding.UTF8.GetString(utf8.WrittenSpan), due);
    }

    public static string Localized()
    {
        // begin-snippet: localized
        var template = Template.ParseOrThrow("""Hallo {{ name }}, Ihr Termin: {{ appointment | date.to_string "%-d. %B %Y" }}, Summe {{ total | math.format "C" }}""");
        var options = RenderOptions.Default.WithCulture("de-DE").WithTimeZone("Europe/Berlin");
        string text = template.Render(new { Name = "Ada", Appointment = new DateTime(2026, 3, 15), Total = 12.5m }, options);
        // Hallo Ada, Ihr Termin: 15. März 2026, Summe 12,50 €
        // end-snippet
        return text;
    }

    public static string Liquid()
    {
        // begin-snippet: liquid
        var options = new TemplateOptions { Syntax = TemplateSyntax.Liquid };
        var template = Template.ParseOrThrow("""
            Hi {{ customer.first_name | default: "there" }},
            {% for item in order.items limit: 2 %}{{ forloop.index }}. {{ item.title | upcase }} x{{ item.qty }}
            {% endfor %}{% if order.items.size > 2 %}…and {{ order.items.size | minus: 2 }} more{% endif %}
            """, options);
        string text = template.Render(new
        {
            Customer = new { FirstName = (string?)null },
            Order = new { Items = new[] { new { Title = "Vase", Qty = 1 }, new { Title = "Lamp", Qty = 2 }, new { Title = "Pan", Qty = 1 } } },
        });
        // Hi there,
        // 1. VASE x1
        // 2. LAMP x2
        // …and 1 more
        // end-snippet
        return text;
    }
}

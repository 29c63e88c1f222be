using System.Globalization;
using System.Text;

namespace Personalize.Templates.Tests.Liquid.Differential;

/// <summary>
/// A seeded generator of Liquid templates over every standard tag and filter: outputs with filter chains, <c>if</c>/<c>unless</c>
/// with comparisons of every pair of value types and <c>and</c>/<c>or</c>, <c>case</c>, <c>for</c> with <c>limit</c>/<c>offset</c>/
/// <c>reversed</c>/<c>else</c>/<c>forloop</c>, <c>tablerow</c>, <c>assign</c>, <c>capture</c>, counters, <c>cycle</c>,
/// <c>raw</c>, <c>comment</c>, <c>echo</c>, <c>liquid</c>, <c>break</c>/<c>continue</c>, ranges, nil/empty/blank and whitespace
/// control, over <see cref="Model"/> (nested data with non-ASCII text). The same seed gives the same templates.
/// </summary>
internal sealed class LiquidTemplateGenerator
{
    /// <summary>The data every generated template renders with (JSON).</summary>
    public const string Model = """
        {
          "name": "Zoë Ångström", "city": "Zürich", "greeting": "  hello, World  ", "html": "<b>Tom & \"Jerry\"</b>",
          "n": 3, "neg": -7, "zero": 0, "f": 2.5, "g": 10.25, "big": 12345678901, "t": true, "fa": false, "nothing": null,
          "empty_s": "", "blank_s": "   ", "num_s": "42", "float_s": "3.75", "csv": "a,b,,c", "date_s": "2024-03-05 14:07:00",
          "ints": [3, 1, 2], "words": ["pear", "Apple", "fig", "apple"], "mixed_case": ["b", "A", "c"], "empty_a": [],
          "nested": [[1, 2], [3, [4]]],
          "products": [
            { "title": "Äpfel", "price": 3, "tags": ["fruit", "bio"], "available": true, "vendor": "Müller" },
            { "title": "Brot", "price": 2.5, "tags": [], "available": false, "vendor": null },
            { "title": "Çay", "price": 12, "tags": ["drink"], "available": true, "vendor": "Öz" }
          ],
          "user": { "name": "José", "age": 30, "tags": ["vip"], "address": { "city": "東京", "zip": "100-0001" } },
          "settings": { "a": 1, "b": "two" }
        }
        """;

    private static readonly string[] Scalars = ["name", "city", "greeting", "html", "n", "neg", "zero", "f", "g", "big", "t", "fa", "nothing", "empty_s", "blank_s", "num_s", "float_s", "csv", "date_s", "missing", "user.name", "user.age", "user.address.city", "products[0].title", "products[1].price", "products.first.vendor", "products.last.title", "products.size", "words.first", "words.size", "user.missing.deep", "settings.b"];

    private static readonly string[] Lists = ["ints", "words", "mixed_case", "empty_a", "products", "user.tags", "nested", "products[0].tags"];

    private static readonly string[] Literals = ["'héllo wörld'", "\"ÄÖÜ ß\"", "''", "' '", "'a,b,c'", "'Hello'", "1", "0", "-3", "2.5", "10.0", "-1.5", "true", "false", "nil", "'42'", "'3.14'", "'🙂 smile'"];

    private static readonly string[] TextFilters = ["upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip", "escape", "escape_once", "strip_html", "strip_newlines", "newline_to_br", "url_encode", "url_decode", "base64_encode", "base64_url_safe_encode", "size", "first", "last", "reverse", "abs", "ceil", "floor", "round"];

    private readonly Random _random;
    private int _depth;

    public LiquidTemplateGenerator(int seed) => _random = new Random(seed);

    public string Next()
    {
        _depth = 0;
        var builder = new StringBuilder();
        var parts = _random.Next(1, 5);
        for (var i = 0; i < parts; i++)
        {
            Statement(builder, inLoop: false);
            if (_random.Next(3) == 0)
            {
                builder.Append(Pick([" ", "\n", "-", " | ", "\n  "]));
            }
        }

        return builder.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    private string Open(string delimiter) => Chance(15) ? delimiter + "-" : delimiter;

    private string Close(string delimiter) => Chance(15) ? "-" + delimiter : delimiter;

    private string Tag(string markup) => Open("{%") + " " + markup + " " + Close("%}");

    private void Statement(StringBuilder b, bool inLoop)
    {
        _depth++;
        var choice = _depth > 3 ? _random.Next(4) : _random.Next(inLoop ? 21 : 19);
        switch (choice)
        {
            case 0 or 1 or 2 or 3:
                b.Append(Open("{{")).Append(' ').Append(Filtered()).Append(' ').Append(Close("}}"));
                break;
            case 4 or 5:
                var keyword = Chance(25) ? "unless" : "if";
                b.Append(Tag(keyword + " " + Condition()));
                Body(b, inLoop);
                if (Chance(30))
                {
                    b.Append(Tag("elsif " + Condition()));
                    Body(b, inLoop);
                }

                if (Chance(50))
                {
                    b.Append(Tag("else"));
                    Body(b, inLoop);
                }

                b.Append(Tag("end" + keyword));
                break;
            case 6:
                b.Append(Tag("case " + Value()));
                var whens = _random.Next(1, 4);
                for (var i = 0; i < whens; i++)
                {
                    b.Append(Tag("when " + Value() + (Chance(30) ? ", " + Value() : string.Empty)));
                    Body(b, inLoop);
                }

                if (Chance(50))
                {
                    b.Append(Tag("else"));
                    Body(b, inLoop);
                }

                b.Append(Tag("endcase"));
                break;
            case 7 or 8:
                var variable = Pick(["item", "x", "p"]);
                b.Append(Tag($"for {variable} in {Iterable()}{LoopOptions()}"));
                b.Append(Pick(["{{ " + variable + " }}", "{{ forloop.index }}:{{ " + variable + " | size }}", "{{ forloop.first }}-{{ forloop.last }}-{{ forloop.rindex0 }}-{{ forloop.length }}", "[{{ " + variable + ".title }}]", "{{ " + variable + " | join: '/' }}", "{{ forloop.index0 }}"]));
                if (Chance(40))
                {
                    Body(b, inLoop: true);
                }

                if (Chance(25))
                {
                    b.Append(Tag("else"));
                    b.Append("none");
                }

                b.Append(Tag("endfor"));
                break;
            case 9:
                b.Append(Tag($"tablerow c in {Iterable()}{(Chance(60) ? " cols: " + _random.Next(1, 4).ToString(CultureInfo.InvariantCulture) : string.Empty)}{(Chance(30) ? " limit: 2" : string.Empty)}"));
                b.Append(Pick(["{{ c }}", "{{ tablerowloop.col }}/{{ tablerowloop.row }}", "{{ c.title }}"]));
                b.Append(Tag("endtablerow"));
                break;
            case 10 or 11:
                var name = Pick(["v", "w", "name", "total"]);
                b.Append(Tag($"assign {name} = {Filtered()}"));
                b.Append("{{ ").Append(name).Append(" }}");
                break;
            case 12:
                b.Append(Tag("capture cap"));
                Body(b, inLoop);
                b.Append(Tag("endcapture")).Append("[{{ cap }}]");
                break;
            case 13:
                var counter = Pick(["k", "count"]);
                b.Append(Tag((Chance(50) ? "increment " : "decrement ") + counter));
                if (Chance(30))
                {
                    b.Append(Tag("increment " + counter));
                }

                break;
            case 14:
                b.Append(Tag(Chance(30) ? "cycle 'grp': 'a', 'b', 'c'" : "cycle 'odd', 'even'"));
                break;
            case 15:
                b.Append(Pick(["{% raw %}{{ not parsed }} {% if %}{% endraw %}", "{% comment %}hidden {{ x }}{% endcomment %}", "{% # a note %}", "{%- comment -%} x {%- endcomment -%}"]));
                break;
            case 16:
                b.Append(Tag("echo " + Filtered()));
                break;
            case 17:
                b.Append("{% liquid\n  assign lq = ").Append(Value()).Append("\n  if lq\n    echo lq | append: '!'\n  else\n    echo 'no'\n  endif\n%}");
                break;
            case 18:
                b.Append(Pick(["text ", "Grüße, ", "\n", "  ", "<p>", "🙂", "a\tb"]));
                break;
            default:
                // Inside a loop only.
                b.Append(Tag("if " + Condition())).Append(Tag(Chance(50) ? "break" : "continue")).Append(Tag("endif"));
                break;
        }

        _depth--;
    }

    private void Body(StringBuilder b, bool inLoop)
    {
        if (Chance(35) || _depth > 3)
        {
            b.Append(Pick(["yes", "no", " ", "\n", "{{ n }}", "·"]));
            return;
        }

        Statement(b, inLoop);
    }

    private string LoopOptions()
    {
        var options = new StringBuilder();
        if (Chance(30))
        {
            options.Append(" limit: ").Append(Pick(["0", "1", "2", "5", "n"]));
        }

        if (Chance(25))
        {
            options.Append(" offset: ").Append(Pick(["0", "1", "2", "9"]));
        }

        if (Chance(20))
        {
            options.Append(" reversed");
        }

        return options.ToString();
    }

    private string Iterable() => _random.Next(5) switch
    {
        0 => $"({Pick(["1", "0", "-2", "n"])}..{Pick(["3", "n", "1", "5"])})",
        1 => Pick(["settings", "user", "name", "missing", "n"]),
        _ => Pick(Lists),
    };

    private string Value() => _random.Next(6) switch
    {
        0 or 1 => Pick(Literals),
        2 => Pick(Lists),
        3 => Pick(["empty", "blank", "nil"]),
        _ => Pick(Scalars),
    };

    private string Condition()
    {
        var condition = Comparison();
        if (Chance(25))
        {
            condition += Pick([" and ", " or "]) + Comparison();
        }

        return condition;
    }

    private string Comparison() => _random.Next(4) == 0
        ? Value()
        : Value() + " " + Pick(["==", "!=", "<", ">", "<=", ">=", "contains", "=="]) + " " + Value();

    private string Filtered()
    {
        var text = new StringBuilder(Chance(10) ? $"({Pick(["1", "2"])}..{Pick(["3", "4"])})" : Value());
        var count = _random.Next(0, 3);
        for (var i = 0; i < count; i++)
        {
            text.Append(" | ").Append(Filter());
        }

        return text.ToString();
    }

    private string Filter() => _random.Next(16) switch
    {
        0 or 1 or 2 => Pick(TextFilters),
        3 => Pick(["append", "prepend", "remove", "remove_first", "remove_last", "split"]) + ": " + Pick(["'ö'", "', '", "'l'", "','", "name", "''"]),
        4 => Pick(["replace", "replace_first", "replace_last"]) + ": " + Pick(["'l'", "'o'", "','"]) + ", " + Pick(["'L'", "'0'", "''"]),
        5 => Pick(["plus", "minus", "times", "divided_by", "modulo", "at_least", "at_most"]) + ": " + Pick(["2", "0.5", "-3", "'4'", "n", "f"]),
        6 => "round: " + Pick(["0", "1", "2"]),
        7 => Pick(["truncate", "truncatewords"]) + ": " + Pick(["3", "5", "10"]) + (Chance(50) ? ", " + Pick(["'…'", "''", "'--'"]) : string.Empty),
        8 => "slice: " + Pick(["0", "1", "-2", "2"]) + (Chance(50) ? ", " + Pick(["1", "2", "3"]) : string.Empty),
        9 => "join: " + Pick(["', '", "'-'", "''"]),
        10 => Pick(["sort", "sort_natural", "uniq", "compact"]) + (Chance(25) ? ": 'title'" : string.Empty),
        11 => Pick(["map: 'title'", "map: 'price'", "where: 'available'", "where: 'available', true", "sum", "sum: 'price'", "concat: ints", "concat: words"]),
        12 => "default: " + Pick(["'fallback'", "0", "n", "'ü'"]),
        13 => "date: " + Pick(["'%Y-%m-%d'", "'%b %d, %Y %H:%M'", "'%A'", "'%s'"]),
        14 => Pick(["first", "last", "size", "reverse", "uniq"]),
        _ => Pick(["upcase", "escape", "strip"]),
    };
}

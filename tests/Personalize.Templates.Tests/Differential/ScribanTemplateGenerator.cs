using System.Text;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// A seeded generator of Scriban templates: literals of every kind, arithmetic, comparison and logical operators, pipes into the
/// builtin objects (<c>string array math html object regex</c>) with positional and named arguments, <c>if/else if/else</c>,
/// <c>case/when</c>, <c>for</c> with <c>offset/limit/reversed/else</c> and the loop variables, <c>while</c>, <c>capture</c>,
/// <c>func</c> and calls, <c>with</c>, <c>wrap</c>, <c>tablerow</c>, whitespace control (<c>- ~</c>), interpolated strings,
/// member and indexer access on a nested model (<see cref="Model"/>: nulls, non-ASCII text), indented blocks, and deliberately
/// broken fragments. The same seed gives the same templates. Shared by the test suite and the benchmark project's long mode.
/// </summary>
internal sealed class ScribanTemplateGenerator
{
    /// <summary>The data every generated template renders with (JSON; its members are the template's globals).</summary>
    public const string Model = """
        {
          "name": "Zoë Ångström", "city": "Zürich", "greeting": "  hello, World  ", "html": "<b>Tom & \"Jerry\"</b>",
          "n": 3, "neg": -7, "zero": 0, "f": 2.5, "big": 123456789, "t": true, "fa": false, "nothing": null,
          "empty_s": "", "num_s": "42", "csv": "a,b,,c", "multi": "line one\nline two",
          "ints": [3, 1, 2], "words": ["pear", "Apple", "fig", "apple"], "empty_a": [], "nested": [[1, 2], [3, [4]]],
          "products": [
            { "title": "Äpfel", "price": 3, "tags": ["fruit", "bio"], "available": true, "vendor": "Müller" },
            { "title": "Brot", "price": 2.5, "tags": [], "available": false, "vendor": null },
            { "title": "Çay", "price": 12, "tags": ["drink"], "available": true, "vendor": "Öz" }
          ],
          "user": { "name": "José", "age": 30, "tags": ["vip"], "nick": null, "address": { "city": "東京", "zip": "100-0001" } }
        }
        """;

    private static readonly string[] Scalars = ["name", "city", "greeting", "html", "n", "neg", "zero", "f", "big", "t", "fa", "nothing", "empty_s", "num_s", "csv", "multi", "missing", "user.name", "user.age", "user.nick", "user.address.city", "user.address.zip", "products[0].title", "products[1].price", "products[1].vendor", "products[2].tags[0]", "ints[1]", "ints[-1]", "words[0]", "user.missing", "user[\"name\"]", "products.size", "words.size", "name.size"];

    private static readonly string[] Lists = ["ints", "words", "empty_a", "products", "user.tags", "nested", "products[0].tags", "(1..3)", "[1, 'a', nil]"];

    private static readonly string[] Literals = ["'héllo wörld'", "\"ÄÖÜ ß\"", "''", "' '", "'a,b,c'", "'Hello'", "1", "0", "-3", "7", "2.5", "10.0", "-1.5", "true", "false", "null", "'42'", "'3.14'", "'🙂 smile'", "\"tab\\tnew\\nline\"", "'<p>'", "[]", "[1, 2, 3]", "{a: 1, b: 'x'}", "{}"];

    private static readonly string[] Operators = ["+", "-", "*", "/", "//", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "??"];

    /// <summary>Builtins with the arguments they take after the piped value (a letter per argument: s text, i integer, a any, l list).</summary>
    private static readonly (string Name, string Args)[] Builtins =
    [
        ("string.append", "s"), ("string.prepend", "s"), ("string.capitalize", ""), ("string.capitalizewords", ""), ("string.contains", "s"),
        ("string.downcase", ""), ("string.upcase", ""), ("string.empty", ""), ("string.ends_with", "s"), ("string.starts_with", "s"),
        ("string.escape", ""), ("string.handleize", ""), ("string.lstrip", ""), ("string.rstrip", ""), ("string.strip", ""),
        ("string.pad_left", "i"), ("string.pad_right", "i"), ("string.pluralize", "ss"), ("string.remove", "s"), ("string.remove_first", "s"),
        ("string.remove_last", "s"), ("string.replace", "ss"), ("string.replace_first", "ss"), ("string.replace_last", "ss"),
        ("string.reverse", ""), ("string.size", ""), ("string.slice", "i"), ("string.slice", "ii"), ("string.slice1", "i"), ("string.split", "s"),
        ("string.strip_newlines", ""), ("string.to_int", ""), ("string.to_float", ""), ("string.to_long", ""), ("string.truncate", "i"),
        ("string.truncate", "is"), ("string.truncatewords", "i"), ("string.literal", ""), ("string.md5", ""), ("string.sha1", ""), ("string.sha256", ""),
        ("string.base64_encode", ""), ("string.base64_decode", ""), ("string.index_of", "s"), ("string.whitespace", ""), ("string.equals_ignore_case", "s"),
        ("array.add", "a"), ("array.add_range", "l"), ("array.compact", ""), ("array.concat", "l"), ("array.first", ""), ("array.last", ""),
        ("array.join", "s"), ("array.limit", "i"), ("array.offset", "i"), ("array.map", "s"), ("array.remove_at", "i"), ("array.reverse", ""),
        ("array.size", ""), ("array.sort", ""), ("array.sort", "s"), ("array.uniq", ""), ("array.contains", "a"), ("array.insert_at", "ia"),
        ("array.index_of", "a"),
        ("math.abs", ""), ("math.ceil", ""), ("math.floor", ""), ("math.round", ""), ("math.round", "i"), ("math.divided_by", "a"), ("math.minus", "a"),
        ("math.plus", "a"), ("math.times", "a"), ("math.modulo", "a"), ("math.is_number", ""), ("math.format", "s"),
        ("html.escape", ""), ("html.strip", ""), ("html.url_encode", ""), ("html.url_escape", ""), ("html.newline_to_br", ""),
        ("object.default", "a"), ("object.typeof", ""), ("object.size", ""), ("object.keys", ""), ("object.values", ""), ("object.has_key", "s"),
        ("regex.match", "s"), ("regex.replace", "ss"), ("regex.split", "s"), ("regex.escape", ""),
    ];

    private static readonly string[] Patterns = ["'a'", "'[aeiou]'", "'\\\\d+'", "'^H'", "'(o)(r)?'", "'\\\\s'", "'ö'"];

    private readonly Random _random;
    private int _depth;
    private int _functions;

    public ScribanTemplateGenerator(int seed) => _random = new Random(seed);

    public string Next()
    {
        _depth = 0;
        _functions = 0;
        var builder = new StringBuilder();
        var parts = _random.Next(1, 5);
        for (var i = 0; i < parts; i++)
        {
            Statement(builder, inLoop: false);
            if (Chance(30))
            {
                builder.Append(Pick([" ", "\n", "-", " | ", "\n  ", "\n    ", "\t"]));
            }
        }

        var text = builder.ToString();
        return Chance(3) ? Break(text) : text;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private bool Chance(int percent) => _random.Next(100) < percent;

    private string Open() => Pick(["{{", "{{", "{{", "{{", "{{", "{{-", "{{~"]);

    private string Close() => Pick(["}}", "}}", "}}", "}}", "}}", "-}}", "~}}"]);

    private string Code(string code) => Open() + " " + code + " " + Close();

    private string Indent() => Chance(25) ? Pick(["\n  ", "\n    ", "\n\t"]) : Chance(50) ? "\n" : string.Empty;

    private void Statement(StringBuilder b, bool inLoop)
    {
        _depth++;
        var choice = _depth > 3 ? _random.Next(5) : _random.Next(inLoop ? 21 : 19);
        switch (choice)
        {
            case 0 or 1 or 2:
                b.Append(Code(Expression()));
                break;
            case 3:
                b.Append(Pick(["Hi ", "\n", "text", " – ", "<li>", "ü\n  ", "  ", "a\nb"]));
                break;
            case 4:
                b.Append(Code(Pick(["a", "b", "c"]) + " = " + Expression())).Append(Code(Pick(["a", "b", "c"])));
                break;
            case 5 or 6:
                b.Append(Indent()).Append(Code("if " + Condition())).Append(Indent());
                Body(b, inLoop);
                if (Chance(40))
                {
                    b.Append(Indent()).Append(Code("else if " + Condition()));
                    Body(b, inLoop);
                }

                if (Chance(50))
                {
                    b.Append(Indent()).Append(Code("else"));
                    Body(b, inLoop);
                }

                b.Append(Indent()).Append(Code("end"));
                break;
            case 7:
                b.Append(Indent()).Append(Code("case " + Pick(Scalars.Concat(Literals).ToArray())));
                for (var i = _random.Next(1, 3); i > 0; i--)
                {
                    b.Append(Indent()).Append(Code("when " + Pick(Literals) + (Chance(30) ? ", " + Pick(Literals) : string.Empty)));
                    Body(b, inLoop);
                }

                if (Chance(40))
                {
                    b.Append(Code("else"));
                    Body(b, inLoop);
                }

                b.Append(Code("end"));
                break;
            case 8 or 9:
            {
                var parameters = new List<string>();
                if (Chance(30))
                {
                    parameters.Add("offset:" + (Chance(50) ? " " : string.Empty) + _random.Next(0, 3));
                }

                if (Chance(30))
                {
                    parameters.Add("limit:" + (Chance(50) ? " " : string.Empty) + _random.Next(0, 3));
                }

                if (Chance(20))
                {
                    parameters.Add("reversed");
                }

                var list = Chance(15) ? Pick(["name", "empty_s", "nothing", "n"]) : Pick(Lists);
                b.Append(Indent()).Append(Code("for x in " + list + (parameters.Count > 0 ? " " + string.Join(' ', parameters) : string.Empty))).Append(Indent());
                b.Append(Code(Pick(["x", "for.index", "for.first", "for.last", "for.rindex", "for.even", "for.length", "x | object.typeof", "for.changed"])));
                Body(b, inLoop: true);
                if (Chance(20))
                {
                    b.Append(Code("else"));
                    Body(b, inLoop);
                }

                b.Append(Indent()).Append(Code("end"));
                break;
            }

            case 10:
                b.Append(Indent()).Append(Code("i = 0; while i < " + _random.Next(0, 4) + "; i = i + 1")).Append(Indent());
                b.Append(Code(Pick(["i", "while.index", "while.first", "while.last"])));
                Body(b, inLoop: true);
                b.Append(Code("end"));
                break;
            case 11:
                b.Append(Indent()).Append(Code("capture cap")).Append(Indent());
                Body(b, inLoop);
                b.Append(Code("end")).Append(Code(Pick(["cap", "cap | string.size", "cap | string.strip", "cap | string.upcase"])));
                break;
            case 12:
            {
                var name = "fn" + _functions++;
                if (Chance(50))
                {
                    b.Append(Code("func " + name + "(p)")).Append(Indent());
                    Body(b, inLoop: false);
                    if (Chance(50))
                    {
                        b.Append(Code("ret p"));
                    }

                    b.Append(Code("end")).Append(Indent()).Append(Code(name + "(" + Operand() + ")"));
                }
                else
                {
                    b.Append(Code("func " + name + "; ret $0 + " + Operand() + "; end")).Append(Code(name + " " + Operand()));
                }

                break;
            }

            case 13:
                b.Append(Indent()).Append(Code("with " + Pick(["user", "user.address", "products[0]", "{q: 1}"]))).Append(Indent());
                b.Append(Code(Pick(["name", "city", "title", "q", "zip", "price"])));
                Body(b, inLoop);
                b.Append(Code("end"));
                break;
            case 14:
                b.Append(Code("func wr")).Append('[').Append(Code("$$")).Append(']').Append(Code("end")).Append(Indent()).Append(Code("wrap wr")).Append(Indent());
                Body(b, inLoop);
                b.Append(Code("end"));
                break;
            case 15:
                b.Append(Indent()).Append(Code("tablerow x in " + Pick(Lists) + (Chance(40) ? " cols:" + _random.Next(1, 3) : string.Empty)));
                b.Append(Code(Pick(["x", "tablerow.index", "tablerow.col"])));
                b.Append(Code("end"));
                break;
            case 16:
                b.Append(Code("$\"" + Pick(["Hi {name}!", "{n + 1} items", "{user.address.city}/{t}", "{f * 2} {nothing}", "{ints}", "{1 == 1}"]) + "\""));
                break;
            case 17:
                b.Append(Code(Pick(Scalars) + " | " + Call()));
                break;
            case 18:
                b.Append(Code(Call() + " " + Operand()));
                break;
            case 19:
                b.Append(Code(Pick(["break", "continue"])));
                break;
            default:
                b.Append(Code("if for.index == " + _random.Next(0, 3) + "; " + Pick(["break", "continue"]) + "; end"));
                break;
        }

        _depth--;
    }

    private void Body(StringBuilder b, bool inLoop)
    {
        for (var i = _random.Next(1, 3); i > 0; i--)
        {
            Statement(b, inLoop);
        }
    }

    private string Condition() => _random.Next(5) switch
    {
        0 => Pick(Scalars),
        1 => Operand() + " " + Pick(["==", "!=", "<", ">", "<=", ">="]) + " " + Operand(),
        2 => "!" + Pick(Scalars),
        3 => Pick(Scalars) + " " + Pick(["&&", "||"]) + " " + Pick(Scalars),
        _ => Pick(Lists) + " | array.size > " + _random.Next(0, 3),
    };

    private string Operand() => _random.Next(4) switch
    {
        0 => Pick(Literals),
        1 or 2 => Pick(Scalars),
        _ => "(" + Pick(Scalars) + " " + Pick(Operators) + " " + Pick(Literals) + ")",
    };

    private string Expression() => _random.Next(7) switch
    {
        0 => Pick(Literals),
        1 => Pick(Scalars),
        2 => Operand() + " " + Pick(Operators) + " " + Operand(),
        3 => Operand() + " | " + Call() + (Chance(30) ? " | " + Call() : string.Empty),
        4 => Pick(Lists) + " | " + Call(),
        5 => Pick(["-", "!"]) + Operand(),
        _ => Operand() + " ? " + Operand() + " : " + Operand(),
    };

    private string Call()
    {
        var (name, args) = Pick(Builtins);
        var builder = new StringBuilder(name);
        foreach (var kind in args)
        {
            builder.Append(' ').Append(kind switch
            {
                's' => name.StartsWith("regex.", StringComparison.Ordinal) && builder.ToString() == name ? Pick(Patterns) : Chance(70) ? Pick(["'a'", "'o'", "','", "' '", "'ö'", "'x'", "'ab'", "''", "'-'"]) : Pick(Scalars),
                'i' => Chance(80) ? _random.Next(-2, 6).ToString(System.Globalization.CultureInfo.InvariantCulture) : Pick(Scalars),
                'l' => Pick(Lists),
                _ => Operand(),
            });
        }

        if (name == "math.format")
        {
            return "math.format " + Pick(["'0.00'", "'N1'", "'D3'", "'X'", "'P0'"]);
        }

        return builder.ToString();
    }

    /// <summary>A broken fragment: the template cut short, or with a stray piece of syntax inserted.</summary>
    private string Break(string text)
    {
        var at = _random.Next(text.Length + 1);
        return _random.Next(3) switch
        {
            0 => text[..at],
            1 => text[..at] + Pick(["{{", "}}", "{{ end }}", "{{ if }}", "{{ 1 + }}", "{{ \"open }}", "{{ for }}", "{{ x. }}", "{{ [1, }}", "{{ func }}", "{{ ) }}", "{{ else }}"]) + text[at..],
            _ => text + Pick(["{{ if true }}", "{{ for x in ints }}", "{{ capture q }}", "{{ (1 + 2 }}", "{{ a | }}", "{{ $\"{ }}"]),
        };
    }
}

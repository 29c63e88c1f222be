using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Personalize.AspNetCore;

/// <summary>
/// Writes the pages: every value passes through <see cref="HtmlEncoder"/>, so no text (a topic label, a source detail,
/// a wording) can become markup. One inline stylesheet allowed by its hash in the Content-Security-Policy; no script,
/// no external asset.
/// </summary>
internal sealed class HtmlWriter
{
    /// <summary>Dark text on white (contrast 16:1), a blue button with white text (7.5:1), a visible focus ring.</summary>
    public const string Stylesheet =
        "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1a;background:#fff;margin:0;line-height:1.5}"
        + "main{max-width:40rem;margin:0 auto;padding:1rem}"
        + "h1{font-size:1.6rem}fieldset{border:1px solid #767676;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem 1rem}"
        + "legend{font-weight:600;padding:0 .25rem}label{display:inline-block;margin:.2rem 0}.row{display:block;margin:.3rem 0}"
        + ".help{color:#4a4a4a;font-size:.95rem;margin:.2rem 0}"
        + "input,select,button{font:inherit}input[type=checkbox],input[type=radio]{width:1.15rem;height:1.15rem;vertical-align:middle;margin-right:.4rem}"
        + "button{background:#0b4f8a;color:#fff;border:0;border-radius:4px;padding:.6rem 1.2rem;cursor:pointer}"
        + ":focus-visible{outline:3px solid #b35c00;outline-offset:2px}"
        + ".status{background:#e7f4e4;border-left:4px solid #2e7d32;padding:.5rem 1rem}.error{background:#fdecea;border-left:4px solid #b3261e;padding:.5rem 1rem}"
        + "ul.evidence{padding-left:1.2rem}a{color:#0b4f8a}";

    /// <summary>The Content-Security-Policy of every page: nothing but this stylesheet and forms posting back here.</summary>
    public static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Stylesheet)))
        + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly StringBuilder _html = new(8192);
    // Every script's letters pass as they are (German umlauts, typographic quotes); markup characters are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public HtmlWriter Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    public HtmlWriter Text(string? text)
    {
        if (text is not null)
        {
            _html.Append(Encoder.Encode(text));
        }

        return this;
    }

    /// <summary>Writes <c> name="value"</c>, encoded.</summary>
    public HtmlWriter Attr(string name, string? value)
    {
        _html.Append(' ').Append(name).Append("=\"").Append(Encoder.Encode(value ?? string.Empty)).Append('"');
        return this;
    }

    public HtmlWriter Element(string tag, string? text, string? cssClass = null, string? role = null)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null)
        {
            Attr("class", cssClass);
        }

        if (role is not null)
        {
            Attr("role", role);
        }

        _html.Append('>');
        Text(text);
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    public HtmlWriter Begin(string language, string title)
    {
        _html.Append("<!DOCTYPE html><html");
        Attr("lang", language);
        _html.Append("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\"><title>");
        Text(title);
        _html.Append("</title><style>").Append(Stylesheet).Append("</style></head><body><main>");
        return this;
    }

    public string End()
    {
        _html.Append("</main></body></html>");
        return _html.ToString();
    }
}

using System.Text;
using Personalize.Delivery;

namespace Personalize.Channels.Email;

/// <summary>Writes header fields folded to 78 characters, with RFC 2047 B encoded-words for non-ASCII text.</summary>
internal sealed class HeaderBuilder
{
    private const int SoftLimit = 78;
    private const int HardLimit = 998;
    private readonly StringBuilder _text = new(1024);
    private int _line;
    private bool _fieldStart;

    public void Start(string name)
    {
        _text.Append(name).Append(':');
        _line = name.Length + 1;
        _fieldStart = true;
    }

    public void End() => _text.Append("\r\n");

    public void Raw(string name, string asciiValue)
    {
        Start(name);
        Words(asciiValue);
        End();
    }

    /// <summary>An unstructured value (Subject, extra headers): ASCII folded at spaces, else encoded-words.</summary>
    public void Unstructured(string name, string value)
    {
        Start(name);
        if (IsPrintableAscii(value) && !value.Contains("=?", StringComparison.Ordinal))
        {
            Words(value);
        }
        else
        {
            EncodedWords(value);
        }

        End();
    }

    /// <summary>A mailbox: display name (quoted or encoded) and the address in angle brackets.</summary>
    public void Mailbox(string name, EmailAddress address)
    {
        Start(name);
        if (!string.IsNullOrEmpty(address.DisplayName))
        {
            if (!IsPrintableAscii(address.DisplayName) || address.DisplayName.Contains("=?", StringComparison.Ordinal))
            {
                EncodedWords(address.DisplayName);
            }
            else if (NeedsQuoting(address.DisplayName))
            {
                Token("\"" + address.DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
            }
            else
            {
                Words(address.DisplayName);
            }
        }

        Token("<" + address.Address + ">");
        End();
    }

    public override string ToString() => _text.ToString();

    /// <summary>Appends " token", folding first when the line would pass 78 characters.</summary>
    public void Token(string token)
    {
        if (token.Length > HardLimit - 2)
        {
            throw new MessageContentException(MessageContentCodes.Invalid, $"A header has a word of {token.Length} characters; RFC 5322 allows at most 998 per line.");
        }

        if (_line + 1 + token.Length > SoftLimit && _line > 0 && !_fieldStart)
        {
            _text.Append("\r\n");
            _line = 0;
        }

        _text.Append(' ').Append(token);
        _line += 1 + token.Length;
        _fieldStart = false;
    }

    private void Words(string value)
    {
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == ' ')
            {
                Token(value[start..i]);
                start = i + 1;
            }
        }
    }

    private void EncodedWords(string value)
    {
        // Each encoded-word is at most 75 characters and holds whole characters only (never half a UTF-8
        // sequence or half a surrogate pair); words are separated by folding white space, which decoders drop.
        var bytes = new byte[16];
        var position = 0;
        while (position < value.Length)
        {
            var room = SoftLimit - _line - 1 - 12;
            if (room < 8)
            {
                _text.Append("\r\n");
                _line = 0;
                room = SoftLimit - 1 - 12;
            }

            var maxBytes = Math.Min(room, 63) / 4 * 3;
            var count = 0;
            var end = position;
            while (end < value.Length)
            {
                var width = char.IsHighSurrogate(value[end]) && end + 1 < value.Length && char.IsLowSurrogate(value[end + 1]) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(value.AsSpan(end, width));
                if (count + size > maxBytes)
                {
                    break;
                }

                count += size;
                end += width;
            }

            if (end == position)
            {
                _text.Append("\r\n");
                _line = 0;
                continue;
            }

            if (bytes.Length < count)
            {
                bytes = new byte[count];
            }

            Encoding.UTF8.GetBytes(value.AsSpan(position, end - position), bytes);
            var word = "=?utf-8?B?" + Convert.ToBase64String(bytes, 0, count) + "?=";
            _text.Append(' ').Append(word);
            _line += 1 + word.Length;
            _fieldStart = false;
            position = end;
        }
    }

    internal static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool NeedsQuoting(string phrase)
    {
        foreach (var c in phrase)
        {
            if (c is '(' or ')' or '<' or '>' or '[' or ']' or ':' or ';' or '@' or '\\' or ',' or '.' or '"')
            {
                return true;
            }
        }

        return phrase.Contains("  ", StringComparison.Ordinal) || phrase.StartsWith(' ') || phrase.EndsWith(' ');
    }
}

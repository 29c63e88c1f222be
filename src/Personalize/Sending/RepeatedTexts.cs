using System.Text;
using Personalize.Templates;

namespace Personalize.Sending;

/// <summary>
/// The last text this thread made for each of a few template parts, with its UTF-8: a part that renders the same bytes
/// again (a constant preheader or sender name, a subject without personal fields) gets the same string instead of a new
/// one. Strings are immutable, so sharing one between messages changes nothing a sink can see. Per thread, fixed size
/// (<see cref="Size"/> parts, texts up to <see cref="MaxBytes"/> bytes), no locks.
/// </summary>
internal static class RepeatedTexts
{
    private const int Size = 8;
    private const int MaxBytes = 512;

    [ThreadStatic]
    private static Entry[]? t_entries;

    [ThreadStatic]
    private static int t_next;

    /// <summary>The text of <paramref name="utf8"/> (valid UTF-8), the thread's last one for <paramref name="part"/> when the bytes are the same.</summary>
    public static string Get(Template part, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var entries = t_entries ??= new Entry[Size];
        Entry? slot = null;
        foreach (var entry in entries)
        {
            if (entry is not null && ReferenceEquals(entry.Part, part))
            {
                if (utf8.SequenceEqual(entry.Bytes.AsSpan(0, entry.Length)))
                {
                    return entry.Text;
                }

                slot = entry;
                break;
            }
        }

        if (slot is null)
        {
            var index = t_next;
            slot = entries[index] ??= new Entry();
            t_next = (index + 1) % Size;
        }

        var text = Encoding.UTF8.GetString(utf8);
        utf8.CopyTo(slot.Bytes);
        slot.Length = utf8.Length;
        slot.Part = part;
        slot.Text = text;
        return text;
    }

    private sealed class Entry
    {
        public readonly byte[] Bytes = new byte[MaxBytes];
        public int Length;
        public Template? Part;
        public string Text = string.Empty;
    }
}

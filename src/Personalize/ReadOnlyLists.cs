namespace Personalize;

/// <summary>Spans over the read-only lists the model carries (arrays from collection expressions and snapshots, lists from the JSON reader).</summary>
internal static class ReadOnlyLists
{
    /// <summary>An array or a <see cref="List{T}"/> as a span without copying (true; a null list as an empty span); false for any other list.</summary>
    public static bool TryAsSpan<T>(IReadOnlyList<T>? list, out ReadOnlySpan<T> span)
    {
        switch (list)
        {
            case null:
                span = default;
                return true;
            case T[] array:
                span = array;
                return true;
            case List<T> items:
                span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items);
                return true;
            default:
                span = default;
                return false;
        }
    }
}

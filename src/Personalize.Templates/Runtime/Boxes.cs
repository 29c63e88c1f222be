namespace Personalize.Templates.Runtime;

/// <summary>Shared boxes for booleans and small integers, so that conditions and counters do not allocate.</summary>
internal static class Boxes
{
    public static readonly object True = true;
    public static readonly object False = false;

    private const int MinCached = -128;
    private const int MaxCached = 1023;
    private static readonly object[] SmallInts = CreateSmallInts();

    public static object Bool(bool value) => value ? True : False;

    public static object Int32(int value) => value is >= MinCached and <= MaxCached ? SmallInts[value - MinCached] : value;

    public static object? Bool(bool? value) => value is { } b ? Bool(b) : null;

    public static object? Int32(int? value) => value is { } i ? Int32(i) : null;

    private static object[] CreateSmallInts()
    {
        var boxes = new object[MaxCached - MinCached + 1];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = i + MinCached;
        }

        return boxes;
    }
}

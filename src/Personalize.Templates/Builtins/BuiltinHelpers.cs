using System.Collections;
using System.Globalization;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>Shared plumbing of the builtin functions: list conversion with sandbox charging, culture lookup.</summary>
internal static class BuiltinHelpers
{
    /// <summary>
    /// Sees a value as a list: null stays null, arrays and sequences give their items, objects give their members
    /// (items with <c>key</c> and <c>value</c>), empty text is an empty list (as in Scriban, which reads text as its characters;
    /// other text is not split here: see docs/templates.md, S3). Anything else is a render error.
    /// </summary>
    public static IEnumerable<object?>? AsList(TemplateContext context, object? value, string parameter = "list")
    {
        switch (value)
        {
            case null:
                return null;
            case ScriptArray array:
                return array;
            case string { Length: 0 }:
                return Array.Empty<object?>();
            case ScriptObject obj:
                return EnumerateMembers(obj);
            case IDictionary<string, object?> dictionary:
                return EnumerateMembers(dictionary);
            case IReadOnlyDictionary<string, object?> readOnly:
                return EnumerateMembers(readOnly);
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                return EnumerateJsonMembers(json);
        }

        return ScriptValue.AsEnumerable(value)
            ?? throw context.Error($"Expected an array for `{parameter}`, not `{context.ToText(value)}` ({ScriptValue.TypeName(value)}).");
    }

    /// <summary>Copies a list into a new array, charging one loop iteration per item (so huge ranges hit <see cref="TemplateLimits.MaxLoopIterations"/>).</summary>
    public static ScriptArray Copy(TemplateContext context, IEnumerable<object?>? items, int extraCapacity = 0)
    {
        if (items is null)
        {
            return new ScriptArray(extraCapacity);
        }

        if (items is ICollection collection)
        {
            context.ChargeLoopIterations(collection.Count);
            var copy = new ScriptArray(collection.Count + extraCapacity);
            copy.AddRange(items);
            return copy;
        }

        var result = new ScriptArray();
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            result.Add(item);
        }

        return result;
    }

    /// <summary>Resolves a culture name given to a builtin (<c>"de-DE"</c>); null or empty uses the render's culture.</summary>
    public static CultureInfo Culture(TemplateContext context, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return context.Culture;
        }

        return TryGetCulture(name, out var culture)
            ? culture
            : throw context.Error($"Unknown culture `{name}`. Use a predefined culture name such as `en-US`, `de-DE` or `fr-FR` (or `invariant`).");
    }

    /// <summary>Finds a predefined culture by name (<c>"invariant"</c> or <c>""</c> is the invariant culture); never creates a made-up culture.</summary>
    public static bool TryGetCulture(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CultureInfo? culture)
    {
        if (name.Length == 0 || string.Equals(name, "invariant", StringComparison.OrdinalIgnoreCase))
        {
            culture = CultureInfo.InvariantCulture;
            return true;
        }

        try
        {
            culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return true;
        }
        catch (CultureNotFoundException)
        {
            culture = null;
            return false;
        }
    }

    /// <summary>Whether a value is an integer number (not floating point or decimal).</summary>
    public static bool IsInteger(object? value) => value is int or long or uint or ulong or short or ushort or byte or sbyte or System.Numerics.BigInteger;

    private static IEnumerable<object?> EnumerateMembers(IEnumerable<KeyValuePair<string, object?>> members)
    {
        foreach (var pair in members)
        {
            yield return new ScriptObject(2) { ["key"] = pair.Key, ["value"] = ScriptValue.Normalize(pair.Value) };
        }
    }

    private static IEnumerable<object?> EnumerateJsonMembers(JsonElement json)
    {
        foreach (var property in json.EnumerateObject())
        {
            yield return new ScriptObject(2) { ["key"] = property.Name, ["value"] = ScriptValue.Normalize(property.Value) };
        }
    }

    /// <summary>
    /// Sorts with a comparer that charges the work budget: a limit error or a cancellation raised inside a comparison comes
    /// out as itself, not wrapped in the <see cref="InvalidOperationException"/> that <see cref="Array.Sort{T}(T[], IComparer{T})"/> adds.
    /// </summary>
    internal static void Sort(int[] order, IComparer<int> comparer)
    {
        try
        {
            Array.Sort(order, comparer);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is TemplateRuntimeException or OperationCanceledException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}

using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Customers;
using Personalize.Templates.Runtime;

namespace Personalize.Sending.Model;

/// <summary>
/// <c>customer.*</c>: <c>id</c>, <c>stage</c>, <c>language</c>, <c>personalized</c>, <c>preferences.channels</c>
/// always; with consent to personalization also <c>first_name</c>, <c>last_name</c>, <c>name</c>, <c>tier</c> and
/// every attribute under its snake_case name. Without that consent the personal fields are absent (null), so
/// <c>customer.first_name ?? "there"</c> falls back to neutral wording.
/// </summary>
internal sealed class CustomerView : IReadOnlyDictionary<string, object?>
{
    private const int MaxCachedNames = 4096;
    private static readonly ConcurrentDictionary<string, string> SnakeNames = new(StringComparer.Ordinal);
    private static readonly string[] FixedKeys = ["id", "stage", "language", "personalized", "preferences"];
    private readonly CustomerProfile _customer;
    private readonly bool _personal;

    public CustomerView(CustomerProfile customer)
    {
        _customer = customer;
        _personal = customer.AllowsPersonalization;
    }

    public int Count => Keys.Count();

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var key in FixedKeys)
            {
                yield return key;
            }

            if (!_personal)
            {
                yield break;
            }

            yield return "name";
            foreach (var attribute in _customer.Attributes.Keys)
            {
                yield return Snake(attribute);
            }
        }
    }

    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var key in Keys)
            {
                yield return this[key];
            }
        }
    }

    public object? this[string key] => TryGetRaw(key, out var value, normalize: false) ? value : null;

    public bool ContainsKey(string key) => TryGetRaw(key, out _, normalize: false);

    /// <summary>
    /// Reads a member for a template. Templates normalize what a dictionary returns (a JSON string becomes a string, …),
    /// so attributes are returned normalized already: the JSON element is not boxed only to be unboxed again. The
    /// indexer and the enumerators keep returning the elements themselves.
    /// </summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => TryGetRaw(key, out value, normalize: true);

    private bool TryGetRaw(string key, out object? value, bool normalize)
    {
        switch (key)
        {
            case "id":
                value = _customer.Id;
                return true;
            case "stage":
                value = Catalog.ConditionContext.StageName(_customer.Stage);
                return true;
            case "language":
                value = _customer.Language;
                return true;
            case "personalized":
                value = _personal ? True : False;
                return true;
            case "preferences":
                value = new PreferencesView(_customer.Preferences);
                return true;
        }

        if (!_personal)
        {
            value = null;
            return false;
        }

        if (TryGetAttribute(key, out var found))
        {
            value = normalize ? ScriptValue.Normalize(found) : found;
            return true;
        }

        if (key == "name")
        {
            value = FullName();
            return value is not null;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        foreach (var key in Keys)
        {
            yield return new KeyValuePair<string, object?>(key, this[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The personal name for letters, or null without consent to personalization.</summary>
    internal string? FullName()
    {
        if (!_personal)
        {
            return null;
        }

        var first = Text("first_name");
        var last = Text("last_name");
        return first is null ? last : last is null ? first : first + " " + last;
    }

    private static readonly object True = true;
    private static readonly object False = false;

    private string? Text(string snake)
    {
        if (_customer.Attributes is Dictionary<string, JsonElement> attributes)
        {
            // The struct enumerator: no boxed enumerator per read.
            foreach (var (attribute, element) in attributes)
            {
                if (element.ValueKind == JsonValueKind.String && MemberRenamers.SnakeCaseEquals(attribute, snake))
                {
                    var text = element.GetString();
                    return string.IsNullOrWhiteSpace(text) ? null : text;
                }
            }

            return null;
        }

        foreach (var (attribute, element) in _customer.Attributes)
        {
            if (element.ValueKind == JsonValueKind.String && MemberRenamers.SnakeCaseEquals(attribute, snake))
            {
                var text = element.GetString();
                return string.IsNullOrWhiteSpace(text) ? null : text;
            }
        }

        return null;
    }

    /// <summary>The first attribute (in the dictionary's order) whose snake_case name is <paramref name="key"/>.</summary>
    private bool TryGetAttribute(string key, out JsonElement value)
    {
        if (_customer.Attributes is Dictionary<string, JsonElement> attributes)
        {
            // The struct enumerator: no boxed enumerator per read.
            foreach (var (attribute, element) in attributes)
            {
                if (MemberRenamers.SnakeCaseEquals(attribute, key))
                {
                    value = element;
                    return true;
                }
            }

            value = default;
            return false;
        }

        foreach (var (attribute, element) in _customer.Attributes)
        {
            if (MemberRenamers.SnakeCaseEquals(attribute, key))
            {
                value = element;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Snake(string name)
    {
        if (SnakeNames.TryGetValue(name, out var snake))
        {
            return snake;
        }

        snake = MemberRenamers.SnakeCase(name);
        if (SnakeNames.Count < MaxCachedNames)
        {
            SnakeNames.TryAdd(name, snake);
        }

        return snake;
    }
}

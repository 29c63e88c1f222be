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

    public object? this[string key] => TryGetValue(key, out var value) ? value : null;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
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

        foreach (var (attribute, element) in _customer.Attributes)
        {
            if (string.Equals(Snake(attribute), key, StringComparison.Ordinal))
            {
                value = element;
                return true;
            }
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
        foreach (var (attribute, element) in _customer.Attributes)
        {
            if (element.ValueKind == JsonValueKind.String && string.Equals(Snake(attribute), snake, StringComparison.Ordinal))
            {
                var text = element.GetString();
                return string.IsNullOrWhiteSpace(text) ? null : text;
            }
        }

        return null;
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

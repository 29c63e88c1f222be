using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalize.Templates.Runtime;

/// <summary>
/// Reads members of any value the way templates see them. Accessors for .NET types are resolved once per
/// (type, renamer) and cached for the life of the process; rendering never reflects over a type twice.
/// </summary>
internal static class MemberAccessor
{
    private static readonly ConcurrentDictionary<(Type Type, Func<string, string> Renamer), TypeAccessor> Cache = new();

    public static bool TryGet(object target, string name, Func<string, string> renamer, out object? value)
    {
        switch (target)
        {
            case ScriptObject o:
                if (o.TryGetValue(name, out value))
                {
                    return true;
                }

                return TrySpecial(target, name, out value);
            case ScriptArray a:
                if (a.TryGetProperty(name, out value))
                {
                    return true;
                }

                return TrySpecial(target, name, out value);
            case IDictionary<string, object?> d:
                if (d.TryGetValue(name, out value))
                {
                    value = ScriptValue.Normalize(value);
                    return true;
                }

                return TrySpecial(target, name, out value);
            case IReadOnlyDictionary<string, object?> rd:
                if (rd.TryGetValue(name, out value))
                {
                    value = ScriptValue.Normalize(value);
                    return true;
                }

                return TrySpecial(target, name, out value);
            case JsonElement { ValueKind: JsonValueKind.Object } e:
                if (e.TryGetProperty(name, out var property))
                {
                    value = ScriptValue.Normalize(property);
                    return true;
                }

                return TrySpecial(target, name, out value);
            case JsonObject jo:
                if (jo.TryGetPropertyValue(name, out var node))
                {
                    value = ScriptValue.Normalize(node);
                    return true;
                }

                return TrySpecial(target, name, out value);
            case IDictionary nd:
                if (nd.Contains(name))
                {
                    value = ScriptValue.Normalize(nd[name]);
                    return true;
                }

                return TrySpecial(target, name, out value);
            case string or JsonElement or JsonArray or IEnumerable:
                return TrySpecial(target, name, out value);
            default:
                var accessor = GetAccessor(target.GetType(), renamer);
                if (accessor.TryGet(target, name, out value))
                {
                    return true;
                }

                return TrySpecial(target, name, out value);
        }
    }

    private static bool TrySpecial(object target, string name, out object? value)
    {
        switch (name)
        {
            case "size":
                switch (target)
                {
                    case string s:
                        value = s.Length;
                        return true;
                    case ICollection c:
                        value = c.Count;
                        return true;
                    case JsonElement { ValueKind: JsonValueKind.Array } ja:
                        value = ja.GetArrayLength();
                        return true;
                    case IEnumerable e when target is not IDictionary:
                        var count = 0;
                        foreach (var unused in e)
                        {
                            count++;
                        }

                        value = count;
                        return true;
                }

                break;
            case "empty?":
                value = ScriptValue.IsEmpty(target);
                return true;
        }

        value = null;
        return false;
    }

    public static TypeAccessor GetAccessor(Type type, Func<string, string> renamer) =>
        Cache.GetOrAdd((type, renamer), static key => new TypeAccessor(key.Type, key.Renamer));

    internal sealed class TypeAccessor
    {
        private readonly Dictionary<string, Func<object, object?>> _getters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Action<object, object?>> _setters = new(StringComparer.Ordinal);

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Model types are the host's own types, kept by the host's use of them; members a trimmer removed are simply not visible to templates.")]
        public TypeAccessor(Type type, Func<string, string> renamer)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length != 0 || property.GetMethod is not { IsPublic: true })
                {
                    continue;
                }

                var name = renamer(property.Name);
                if (_getters.ContainsKey(name))
                {
                    continue;
                }

                var p = property;
                _getters[name] = target => ScriptValue.Normalize(p.GetValue(target));
                if (p.SetMethod is { IsPublic: true })
                {
                    _setters[name] = (target, value) => p.SetValue(target, value);
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = renamer(field.Name);
                if (_getters.ContainsKey(name))
                {
                    continue;
                }

                var f = field;
                _getters[name] = target => ScriptValue.Normalize(f.GetValue(target));
            }
        }

        public bool TryGet(object target, string name, out object? value)
        {
            if (_getters.TryGetValue(name, out var getter))
            {
                value = getter(target);
                return true;
            }

            value = null;
            return false;
        }

        public bool TryGetGetter(string name, [NotNullWhen(true)] out Func<object, object?>? getter) => _getters.TryGetValue(name, out getter);

        public bool TrySet(object target, string name, object? value)
        {
            if (_setters.TryGetValue(name, out var setter))
            {
                setter(target, value);
                return true;
            }

            return false;
        }
    }
}

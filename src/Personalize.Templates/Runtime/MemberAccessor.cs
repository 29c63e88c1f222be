using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalize.Templates.Runtime;

/// <summary>
/// Reads members of any value the way templates see them. Accessors for .NET types are resolved once per
/// (type, <see cref="MemberPolicy"/>) and cached for the life of the process; rendering never reflects over a type twice.
/// Only the public instance properties and fields the policy lets through are visible (see <see cref="DeniedMembers"/>).
/// </summary>
internal static class MemberAccessor
{
    private static readonly ConcurrentDictionary<(Type Type, MemberPolicy Policy), TypeAccessor> Cache = new();

    /// <summary>Returned by guarded getters when the target has another type.</summary>
    public static readonly object Miss = new();

    public static bool TryGet(object target, string name, MemberPolicy policy, out object? value)
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
                if (TryGetJsonProperty(e, name, utf8Name: null, out var property))
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
                var accessor = GetAccessor(target.GetType(), policy);
                if (accessor.TryGet(target, name, out value))
                {
                    return true;
                }

                return TrySpecial(target, name, out value);
        }
    }

    /// <summary>
    /// Gets the UTF-8 bytes of a member name when it is ASCII, so <see cref="TryGetJsonProperty"/> can look it up without
    /// transcoding the name on every read; null otherwise. Member expressions compute this once when parsed.
    /// </summary>
    public static byte[]? Utf8Name(string name) => System.Text.Ascii.IsValid(name) ? System.Text.Encoding.ASCII.GetBytes(name) : null;

    /// <summary>
    /// Looks up the property <paramref name="name"/> of a JSON object, by <paramref name="utf8Name"/> when given (see
    /// <see cref="Utf8Name"/>). The one lookup used by <see cref="TryGet"/> and by the member expressions' output path.
    /// </summary>
    public static bool TryGetJsonProperty(JsonElement element, string name, byte[]? utf8Name, out JsonElement property) =>
        utf8Name is not null ? element.TryGetProperty(utf8Name, out property) : element.TryGetProperty(name, out property);

    /// <summary>
    /// What <see cref="TryGet"/> answers for a member the target does not have: <c>size</c> of strings and sequences,
    /// <c>empty?</c> of anything; <see langword="false"/> otherwise.
    /// </summary>
    public static bool TrySpecial(object target, string name, out object? value)
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

    public static TypeAccessor GetAccessor(Type type, MemberPolicy policy) =>
        Cache.GetOrAdd((type, policy), static key => new TypeAccessor(key.Type, key.Policy));

    internal sealed class TypeAccessor
    {
        private readonly Dictionary<string, Func<object, object?>> _getters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Action<object, object?>> _setters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Func<object, object?>> _guardedGetters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Func<object, decimal>> _decimalGetters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PropertyInfo> _properties = new(StringComparer.Ordinal);

        /// <summary>Gets an unboxed getter for a <see cref="decimal"/> property (the caller checks the exact type), or null.</summary>
        public Func<object, decimal>? DecimalGetter(string name) => _decimalGetters.TryGetValue(name, out var getter) ? getter : null;

        /// <summary>Gets a getter that returns <see cref="Miss"/> when the target is not exactly this type (null when not available).</summary>
        public Func<object, object?>? GuardedGetter(string name) => _guardedGetters.TryGetValue(name, out var getter) ? getter : null;

        /// <summary>Gets the declared type of a member, or null when unknown.</summary>
        public Type? MemberType(string name) => _types.TryGetValue(name, out var type) ? type : null;

        /// <summary>
        /// Gets the property a member reads when its getter was compiled (dynamic code available), so a member chain can
        /// compile its steps into one getter (<see cref="Liquid.LiquidMemberChain"/>); null for fields and otherwise.
        /// </summary>
        public PropertyInfo? CompiledProperty(string name) => _properties.TryGetValue(name, out var property) ? property : null;

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Model types are the host's own types, kept by the host's use of them; members a trimmer removed are simply not visible to templates.")]
        public TypeAccessor(Type type, MemberPolicy policy)
        {
            var renamer = policy.Renamer;
            if (policy.ApplyDenyList && DeniedMembers.IsDeniedType(type))
            {
                // A denied type (reflection, delegates, exceptions, streams, files…): no member is readable, and it is not
                // read as a sequence or dictionary either.
                IsPlainObject = true;
                return;
            }

            IsPlainObject = !(typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type)
                || typeof(IReadOnlyDictionary<string, object?>).IsAssignableFrom(type));
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length != 0 || property.GetMethod is not { IsPublic: true } || !policy.IsVisible(property, property.PropertyType))
                {
                    continue;
                }

                var name = string.Intern(renamer(property.Name));
                if (_getters.ContainsKey(name))
                {
                    continue;
                }

                (_getters[name], var guarded) = CreateGetter(type, property);
                if (guarded is not null)
                {
                    _guardedGetters[name] = guarded;
                    _properties[name] = property;
                    if (property.PropertyType == typeof(decimal) && CreateDecimalGetter(type, property) is { } decimalGetter)
                    {
                        _decimalGetters[name] = decimalGetter;
                    }
                }

                _types[name] = property.PropertyType;
                KeyMask |= ScriptObject.MaskOf(name);
                if (policy.AllowWrites && property.SetMethod is { IsPublic: true })
                {
                    _setters[name] = (target, value) => property.SetValue(target, value);
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!policy.IsVisible(field, field.FieldType))
                {
                    continue;
                }

                var name = string.Intern(renamer(field.Name));
                if (_getters.ContainsKey(name))
                {
                    continue;
                }

                var f = field;
                _getters[name] = target => ScriptValue.Normalize(f.GetValue(target));
                _types[name] = f.FieldType;
                KeyMask |= ScriptObject.MaskOf(name);
            }
        }

        /// <summary>Gets the Bloom filter of member names (see <see cref="ScriptObject.KeyMask"/>).</summary>
        public ulong KeyMask { get; }

        /// <summary>Gets whether values of the type are read only through this accessor (not a dictionary, sequence or JSON value).</summary>
        public bool IsPlainObject { get; }

        /// <summary>
        /// Builds the getter, and when dynamic code is available also a guarded getter that checks the exact type itself
        /// and returns <see cref="Miss"/> for any other type (cheaper than a separate type test at the call site).
        /// </summary>
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Expression compilation runs only when dynamic code is supported; otherwise the reflection getter is used.")]
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The property comes from the type being accessed.")]
        private static (Func<object, object?> Getter, Func<object, object?>? Guarded) CreateGetter(Type type, PropertyInfo property)
        {
            if (RuntimeFeature.IsDynamicCodeSupported && RuntimeFeature.IsDynamicCodeCompiled && !type.IsByRefLike && !property.PropertyType.IsByRefLike)
            {
                try
                {
                    var parameter = Expression.Parameter(typeof(object), "target");
                    Expression read = Expression.Property(Expression.Convert(parameter, type), property);
                    var box = property.PropertyType == typeof(int) || property.PropertyType == typeof(bool) || property.PropertyType == typeof(int?) || property.PropertyType == typeof(bool?)
                        ? typeof(Boxes).GetMethod(property.PropertyType == typeof(int) || property.PropertyType == typeof(int?) ? nameof(Boxes.Int32) : nameof(Boxes.Bool), new[] { property.PropertyType })
                        : null;
                    var body = box is not null ? (Expression)Expression.Call(box, read) : Expression.Convert(read, typeof(object));
                    var getter = Expression.Lambda<Func<object, object?>>(body, parameter).Compile();
                    var guardedBody = Expression.Condition(Expression.TypeEqual(parameter, type), body, Expression.Constant(Miss, typeof(object)));
                    var guarded = Expression.Lambda<Func<object, object?>>(guardedBody, parameter).Compile();
                    if (NeedsNormalize(property.PropertyType))
                    {
                        return (target => ScriptValue.Normalize(getter(target)), target => guarded(target) is var value && ReferenceEquals(value, Miss) ? value : ScriptValue.Normalize(value));
                    }

                    return (getter, guarded);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
                {
                    // Fall back to reflection below.
                }
            }

            return (target => ScriptValue.Normalize(property.GetValue(target)), null);
        }

        /// <summary>Builds a getter that returns a decimal property without boxing it (written straight to the output).</summary>
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Called only after the boxed getter was compiled, so dynamic code is supported.")]
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The property comes from the type being accessed.")]
        private static Func<object, decimal>? CreateDecimalGetter(Type type, PropertyInfo property)
        {
            try
            {
                var parameter = Expression.Parameter(typeof(object), "target");
                var read = Expression.Property(Expression.Convert(parameter, type), property);
                return Expression.Lambda<Func<object, decimal>>(read, parameter).Compile();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                return null;
            }
        }

        private static bool NeedsNormalize(Type type) =>
            type == typeof(object) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(char)
            || type == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(type) || Nullable.GetUnderlyingType(type) is not null || type.IsInterface;

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

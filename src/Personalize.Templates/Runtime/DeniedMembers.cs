using System.Collections.Concurrent;
using System.Reflection;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The deny-list: .NET types whose members templates never read, and whose values are never reached through a member,
/// unless the host opts out with <see cref="UnsafeHostAccess.ReadDeniedMembers"/>. Listed in docs/security.md.
/// </summary>
internal static class DeniedMembers
{
    private static readonly ConcurrentDictionary<Type, bool> Types = new();

    /// <summary>Namespaces whose types give access to code, the process or the machine.</summary>
    private static readonly string[] Namespaces =
    [
        "System.Reflection",
        "System.Runtime.Loader",
        "System.Runtime.InteropServices",
        "System.Runtime.CompilerServices",
        "System.Diagnostics",
        "System.Threading",
        "System.IO",
        "System.Net",
        "System.Security",
        "Microsoft.Win32",
    ];

    /// <summary>Gets whether members and values of <paramref name="type"/> are hidden from templates.</summary>
    public static bool IsDeniedType(Type type) => Types.GetOrAdd(type, static t => Compute(t));

    private static bool Compute(Type type)
    {
        if (type.IsPointer || type.IsByRef || type.IsByRefLike)
        {
            return true;
        }

        var element = type.IsArray ? type.GetElementType()! : type;
        if (element != type)
        {
            return IsDeniedType(element);
        }

        if (typeof(MemberInfo).IsAssignableFrom(type)
            || typeof(Delegate).IsAssignableFrom(type)
            || typeof(Exception).IsAssignableFrom(type)
            || typeof(AppDomain).IsAssignableFrom(type)
            || typeof(IServiceProvider).IsAssignableFrom(type)
            || typeof(IAsyncResult).IsAssignableFrom(type)
            || typeof(MarshalByRefObject).IsAssignableFrom(type)
            || type == typeof(RuntimeTypeHandle) || type == typeof(RuntimeMethodHandle) || type == typeof(RuntimeFieldHandle)
            || type == typeof(IntPtr) || type == typeof(UIntPtr)
            || IsEngineType(type))
        {
            return true;
        }

        var ns = type.Namespace;
        if (ns is null)
        {
            return false;
        }

        foreach (var denied in Namespaces)
        {
            if (ns.StartsWith(denied, StringComparison.Ordinal) && (ns.Length == denied.Length || ns[denied.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The engine's own objects (functions, contexts, options, loaders) are values templates may hold, never objects they may open.</summary>
    private static bool IsEngineType(Type type) =>
        typeof(IScriptFunction).IsAssignableFrom(type)
        || typeof(ITemplateLoader).IsAssignableFrom(type)
        || type == typeof(TemplateContext) || type == typeof(Template) || type == typeof(TemplateOptions) || type == typeof(RenderOptions)
        || type == typeof(TemplateExpression) || type == typeof(TemplateLimits) || typeof(TimeProvider).IsAssignableFrom(type)
        || (type.Assembly == typeof(Template).Assembly && type.Namespace is { } ns && ns.StartsWith("Personalize.Templates.Syntax", StringComparison.Ordinal));
}

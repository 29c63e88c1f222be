using System.Diagnostics.CodeAnalysis;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The builtin objects every template sees at the bottom of its scope stack (<c>string</c>, <c>array</c>, <c>math</c>, …).
/// Built once per process and shared read-only by all renders.
/// </summary>
internal static class BuiltinObjects
{
    private static readonly Lazy<ScriptObject> LazyRoot = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ScriptObject Root => LazyRoot.Value;

    private static ScriptObject Create()
    {
        var root = new ScriptObject();

        // One line per builtin object: the script name and the static class whose public static methods it exposes.
        Add(root, "array", typeof(ArrayFunctions));
        Add(root, "math", typeof(MathFunctions));
        Add(root, "regex", typeof(RegexFunctions));
        Add(root, "string", typeof(StringFunctions));

        // Top-level functions.
        root.SetValue("include", IncludeFunction.Instance, readOnly: true);

        // Shared by every render on every thread: templates must not be able to change it.
        root.Freeze();
        return root;
    }

    private static void Add(ScriptObject root, string name, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type)
    {
        var obj = new ScriptObject();
        obj.Import(type);
        root.SetValue(name, obj, readOnly: true);
    }
}

using System.Diagnostics.CodeAnalysis;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The builtin objects every template sees at the bottom of its scope stack (<c>array</c>, <c>date</c>, <c>html</c>,
/// <c>math</c>, <c>object</c>, <c>regex</c>, <c>string</c>, <c>timespan</c>). Built once per process and shared read-only by all renders.
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
        var date = Add(root, "date", typeof(DateFunctions));
        Add(root, "html", typeof(HtmlFunctions));
        Add(root, "math", typeof(MathFunctions));
        Add(root, "object", typeof(ObjectFunctions));
        Add(root, "regex", typeof(RegexFunctions));
        Add(root, "string", typeof(StringFunctions));
        var timespan = Add(root, "timespan", typeof(TimeSpanFunctions));

        // Values next to the functions.
        date.SetValue("default_format", Strftime.DefaultFormat, readOnly: true);
        date.SetValue("format", Strftime.DefaultFormat, readOnly: true);
        timespan.SetValue("zero", TimeSpan.Zero, readOnly: true);

        // Top-level functions.
        root.SetValue("include", IncludeFunction.Instance, readOnly: true);

        // Shared by every render on every thread: templates must not be able to change it.
        root.Freeze();
        return root;
    }

    private static ScriptObject Add(ScriptObject root, string name, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type)
    {
        var obj = new ScriptObject();
        obj.Import(type);

        // No per-member read-only flags: root.Freeze() freezes this object too (a template assignment fails with "frozen").

        root.SetValue(name, obj, readOnly: true);
        return obj;
    }
}

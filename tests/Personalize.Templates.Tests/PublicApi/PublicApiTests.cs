using System.Reflection;
using System.Text;

namespace Personalize.Templates.Tests.PublicApi;

/// <summary>
/// Locks the public surface of Personalize.Templates: an accidental change shows up as a diff of
/// <c>Personalize.Templates.approved.txt</c> (the test writes <c>.received.txt</c> beside it when they differ).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Public_api_matches_the_approved_snapshot()
    {
        var directory = Path.Combine(RepoPaths.Root, "tests", "Personalize.Templates.Tests", "PublicApi");
        var approvedPath = Path.Combine(directory, "Personalize.Templates.approved.txt");
        var receivedPath = Path.Combine(directory, "Personalize.Templates.received.txt");
        var actual = Describe(typeof(Template).Assembly);

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            File.WriteAllText(receivedPath, actual);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.True(approved == actual, $"The public API changed. Review {receivedPath} and, if intended, copy it over {approvedPath}.");
    }

    private static string Describe(Assembly assembly)
    {
        var builder = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
            builder.Append(kind).Append(' ').Append(type.FullName);
            if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
            {
                builder.Append(" : ").Append(baseType.FullName);
            }

            builder.Append('\n');
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true } || m.Name.StartsWith("op_", StringComparison.Ordinal))
                .Select(m => m.MemberType + " " + m)
                .OrderBy(s => s, StringComparer.Ordinal);
            foreach (var member in members)
            {
                builder.Append("  ").Append(member).Append('\n');
            }
        }

        return builder.ToString();
    }
}

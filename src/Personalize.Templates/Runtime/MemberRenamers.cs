using System.Text;

namespace Personalize.Templates.Runtime;

/// <summary>Ready-made member renamers: how .NET member names appear to templates.</summary>
public static class MemberRenamers
{
    /// <summary>
    /// Scriban's default: <c>FirstName</c> becomes <c>first_name</c>, <c>HTMLBody</c> becomes <c>html_body</c>,
    /// <c>Total2</c> stays <c>total2</c>.
    /// </summary>
    public static Func<string, string> SnakeCase { get; } = ToSnakeCase;

    /// <summary>Keeps .NET names as they are (<c>FirstName</c> stays <c>FirstName</c>).</summary>
    public static Func<string, string> Identity { get; } = static name => name;

    /// <summary>camelCase: <c>FirstName</c> becomes <c>firstName</c>.</summary>
    public static Func<string, string> CamelCase { get; } = static name =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string ToSnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                var previousIsUpper = i > 0 && char.IsUpper(name[i - 1]);
                if (i > 0 && name[i - 1] != '_' && (previousIsLowerOrDigit || (previousIsUpper && nextIsLower)))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

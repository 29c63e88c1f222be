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

    /// <summary>
    /// Whether <see cref="SnakeCase"/> of <paramref name="name"/> is <paramref name="snakeName"/>, compared as the
    /// snake_case name is produced: no string is built (for looking names up on a hot path).
    /// </summary>
    /// <param name="name">The .NET-style name, for example <c>FirstName</c>.</param>
    /// <param name="snakeName">The snake_case name, for example <c>first_name</c>.</param>
    /// <returns><see langword="true"/> when equal (ordinal).</returns>
    public static bool SnakeCaseEquals(string name, string snakeName)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(snakeName);
        var comparer = new SnakeComparer(snakeName);
        return WriteSnakeCase(name, ref comparer) && comparer.AtEnd;
    }

    private static string ToSnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new SnakeBuilder(new StringBuilder(name.Length + 4));
        WriteSnakeCase(name, ref builder);
        return builder.Builder.ToString();
    }

    /// <summary>The snake_case rule, once: an upper-case letter becomes lower case, with a <c>_</c> before it after a
    /// lower-case letter or digit, or between upper-case letters when a lower-case one follows (<c>HTMLBody</c>).
    /// Stops early when the sink says so.</summary>
    private static bool WriteSnakeCase<TSink>(string name, ref TSink sink)
        where TSink : struct, ISnakeSink
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                var previousIsUpper = i > 0 && char.IsUpper(name[i - 1]);
                if (i > 0 && name[i - 1] != '_' && (previousIsLowerOrDigit || (previousIsUpper && nextIsLower)) && !sink.Put('_'))
                {
                    return false;
                }

                c = char.ToLowerInvariant(c);
            }

            if (!sink.Put(c))
            {
                return false;
            }
        }

        return true;
    }

    private interface ISnakeSink
    {
        bool Put(char c);
    }

    private readonly struct SnakeBuilder(StringBuilder builder) : ISnakeSink
    {
        public StringBuilder Builder { get; } = builder;

        public bool Put(char c)
        {
            Builder.Append(c);
            return true;
        }
    }

    private struct SnakeComparer(string expected) : ISnakeSink
    {
        private int _next;

        public readonly bool AtEnd => _next == expected.Length;

        public bool Put(char c)
        {
            if (_next >= expected.Length || expected[_next] != c)
            {
                return false;
            }

            _next++;
            return true;
        }
    }
}

using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Personalize.Hosting;

/// <summary>
/// Validates options bound from a configuration section so that every error names its key: settings the options do
/// not have (a misspelt key is an error, not a silent default) and the options' own checks, each prefixed with the
/// section's path (<c>Personalize:Sending: PageSize is 0; use 1 or more.</c>).
/// </summary>
internal sealed class SectionValidator<TOptions>(IConfiguration section, string path, Func<TOptions, IReadOnlyList<string>> validate, IReadOnlyCollection<string> otherKeys) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (name != Options.DefaultName)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        var settings = Settings(typeof(TOptions));
        foreach (var child in section.GetChildren())
        {
            if (!settings.Contains(child.Key) && !otherKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{path}:{child.Key} is not a setting of {typeof(TOptions).Name}; its settings are {string.Join(", ", settings.Order(StringComparer.Ordinal))}.");
            }
        }

        foreach (var problem in validate(options))
        {
            failures.Add($"{path}: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The names configuration can set: public properties with a public setter (or init), and collections it can add to.</summary>
    private static HashSet<string> Settings(Type type)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && (property.SetMethod?.IsPublic == true || property.PropertyType.IsGenericType))
            {
                names.Add(property.Name);
            }
        }

        return names;
    }
}

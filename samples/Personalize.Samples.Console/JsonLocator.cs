using Personalize.Serialization;

namespace Personalize.Samples.ConsoleHost;

/// <summary>Formats errors found by JSON path as <c>FILE line L, column C: PATH: MESSAGE</c> (positions from <see cref="JsonPositions"/>, one pass for all errors).</summary>
internal static class JsonLocator
{
    public static IEnumerable<string> Describe(string file, byte[] json, IReadOnlyList<(string Path, string Message)> errors)
    {
        var positions = JsonPositions.Find(json, errors.Select(static e => e.Path));
        foreach (var (path, message) in errors)
        {
            yield return Describe(file, positions.TryGetValue(path, out var at) ? at : null, path, message);
        }
    }

    public static string Describe(string file, JsonPosition? at, string path, string message)
        => at is { } position ? $"{file} {position}: {path}: {message}" : $"{file}: {path}: {message}";
}

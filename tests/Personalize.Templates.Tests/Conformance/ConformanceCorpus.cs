namespace Personalize.Templates.Tests.Conformance;

/// <summary>Where the conformance corpus lives: <c>$PERSONALIZE_CONFORMANCE_DIR</c>, else <c>../shared/conformance/scriban</c> beside the repo.</summary>
internal static class ConformanceCorpus
{
    public static string? OverrideDirectory => Environment.GetEnvironmentVariable("PERSONALIZE_CONFORMANCE_DIR") is { Length: > 0 } dir ? dir : null;

    public static string Directory => OverrideDirectory ?? Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "scriban"));

    public static bool IsDefault => OverrideDirectory is null;

    public static string RecordPath => Path.Combine(RepoPaths.Root, "tests", "Personalize.Templates.Tests", "Conformance", "conformance-record.json");
}

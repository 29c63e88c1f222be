namespace Personalize.Templates.Tests.Differential;

/// <summary>What one engine made of a template: its output, or that it failed (and why).</summary>
internal readonly record struct RenderOutcome(bool Succeeded, string Text)
{
    public static RenderOutcome Ok(string text) => new(true, text);

    public static RenderOutcome Failed(string why) => new(false, why);

    /// <summary>Whether two outcomes agree: the same text, or both failed (for any reason).</summary>
    public bool AgreesWith(RenderOutcome other) => Succeeded == other.Succeeded && (!Succeeded || string.Equals(Text, other.Text, StringComparison.Ordinal));

    public override string ToString() => Succeeded ? "\"" + Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : "FAILED: " + Text;
}

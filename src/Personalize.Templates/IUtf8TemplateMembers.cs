namespace Personalize.Templates;

/// <summary>
/// A model object that writes some of its members' text straight into a UTF-8 render (<see cref="Template.RenderUtf8"/>),
/// so that <c>{{ target.name }}</c> costs no string. Only a plain output of the member (no filter, no auto-indentation)
/// asks; every other read (a filter, a comparison, <c>if</c>, a string output) reads the member as usual, so the
/// member's value must be the same text as the bytes written here.
/// </summary>
/// <remarks>
/// The object answers for its own members: the engine asks it before the member lookup (renamers and member filters
/// are not consulted for a name it writes). A name it does not write this way (the method returns -1) is read as usual.
/// </remarks>
public interface IUtf8TemplateMembers
{
    /// <summary>Writes the UTF-8 text of the member a template names <paramref name="name"/> into <paramref name="destination"/>.</summary>
    /// <param name="name">The member's name as the template wrote it (for example <c>unsubscribe</c>).</param>
    /// <param name="destination">Where to write; when the text is longer, nothing need be written and the engine asks again with room for the length returned.</param>
    /// <returns>
    /// The text's length in UTF-8 bytes (0 for an empty or null value: nothing is written); -1 when this member is not
    /// written this way. The bytes must be valid UTF-8.
    /// </returns>
    int WriteUtf8Member(string name, Span<byte> destination);
}

namespace Personalize.Channels.DirectMail;

/// <summary>A direct-mail letter: the recipient block (from the customer's postal address) and the body.</summary>
public sealed record LetterContent : MessageContent
{
    /// <summary>The recipient block, line by line: the name (when known), street lines, locality line and country.</summary>
    public required IReadOnlyList<string> RecipientBlock { get; init; }

    /// <summary>The body of the letter.</summary>
    public required string Body { get; init; }
}

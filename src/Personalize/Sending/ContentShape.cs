namespace Personalize.Sending;

/// <summary>The kind of content a channel needs, which decides the template parts it has.</summary>
internal enum ContentShape : byte
{
    Email,
    Sms,
    Push,
    InApp,
    Letter,
    Call,
    Text,
}

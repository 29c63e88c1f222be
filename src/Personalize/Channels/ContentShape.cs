namespace Personalize.Channels;

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

/// <summary>A channel's content shape and that shape's template parts (file <c>{reference}.{part}.sbn</c> or <c>.liquid</c>).</summary>
internal static class ContentShapes
{
    public static ContentShape Of(Channel channel)
    {
        if (channel == Channel.Email)
        {
            return ContentShape.Email;
        }

        if (channel == Channel.Sms)
        {
            return ContentShape.Sms;
        }

        if (channel == Channel.Push)
        {
            return ContentShape.Push;
        }

        if (channel == Channel.InApp)
        {
            return ContentShape.InApp;
        }

        if (channel == Channel.DirectMail)
        {
            return ContentShape.Letter;
        }

        return channel == Channel.Phone ? ContentShape.Call : ContentShape.Text;
    }

    public static TemplatePart[] PartsOf(ContentShape shape) => shape switch
    {
        ContentShape.Email => Email.EmailParts.All,
        ContentShape.Sms => Sms.SmsParts.All,
        ContentShape.Push => Push.PushParts.All,
        ContentShape.InApp => InApp.InAppParts.All,
        ContentShape.Letter => DirectMail.LetterParts.All,
        ContentShape.Call => Phone.CallScriptParts.All,
        _ => TextParts.All,
    };
}

/// <summary>One template part of a channel's content: its file name part and whether it must exist.</summary>
internal readonly record struct TemplatePart(string Name, bool Required);

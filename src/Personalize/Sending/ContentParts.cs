namespace Personalize.Sending;

/// <summary>The template parts of each content shape (file <c>{reference}.{part}.sbn</c> or <c>.liquid</c>).</summary>
internal static class ContentParts
{
    // Email
    public const int Subject = 0;
    public const int Preheader = 1;
    public const int Html = 2;
    public const int TextBody = 3;
    public const int From = 4;
    public const int ReplyTo = 5;
    public const int Headers = 6;

    // Sms, Letter, Text
    public const int Body = 0;

    // Push and in-app
    public const int Title = 0;
    public const int PushBody = 1;
    public const int Link = 2;
    public const int Data = 3;
    public const int Action = 3;

    // Call script
    public const int Greeting = 0;
    public const int Points = 1;
    public const int Question = 2;

    private static readonly Part[] EmailParts =
    [
        new("subject", true), new("preheader", false), new("html", false), new("text", true),
        new("from", false), new("reply_to", false), new("headers", false),
    ];

    private static readonly Part[] BodyOnly = [new("body", true)];
    private static readonly Part[] PushParts = [new("title", true), new("body", true), new("link", false), new("data", false)];
    private static readonly Part[] InAppParts = [new("title", true), new("body", true), new("link", false), new("action", false)];
    private static readonly Part[] CallParts = [new("greeting", true), new("points", true), new("question", false)];

    public static ContentShape ShapeOf(Channel channel)
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

    public static Part[] Of(ContentShape shape) => shape switch
    {
        ContentShape.Email => EmailParts,
        ContentShape.Push => PushParts,
        ContentShape.InApp => InAppParts,
        ContentShape.Call => CallParts,
        _ => BodyOnly,
    };

    internal readonly record struct Part(string Name, bool Required);
}

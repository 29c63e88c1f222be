using Personalize.Channels.DirectMail;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;

namespace Personalize.Channels;

/// <summary>
/// The rendered parts of a message, one sealed record per kind of content: <see cref="Email.EmailContent"/>,
/// <see cref="Sms.SmsContent"/>, <see cref="PushContent"/>, <see cref="InAppContent"/>, <see cref="LetterContent"/>
/// and <see cref="CallScriptContent"/>. Switch on the type to read the parts.
/// </summary>
public abstract record MessageContent
{
    private protected MessageContent()
    {
    }
}

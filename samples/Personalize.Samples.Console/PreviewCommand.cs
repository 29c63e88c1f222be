using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.DirectMail;
using Personalize.Channels.Email;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Channels.Sms;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>preview --customer ID --message ID --channel C</c>: renders one catalog message for one customer on one channel
/// exactly as a run would (same model, links and composition), without deciding and without writing.
/// </summary>
internal sealed class PreviewCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(commandLine.CustomerId) || string.IsNullOrWhiteSpace(commandLine.MessageId) || string.IsNullOrWhiteSpace(commandLine.ChannelName))
        {
            error.WriteLine("error: preview needs --customer ID --message ID --channel CHANNEL (for example --customer c-001 --message welcome --channel email).");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        var (engine, catalog, customer, at) = SampleHost.LoadForOneCustomer(services, commandLine);
        var content = SampleHost.LoadContent(catalog, SampleHost.ResolveTemplatesDirectory(commandLine));
        var message = catalog.Find(commandLine.MessageId!)
            ?? throw new SampleException($"no message '{commandLine.MessageId}' in the catalog; messages: {string.Join(", ", catalog.Source.Messages.Select(static m => m.Id))}.");
        if (!engine.Eligibility.Channels.TryResolve(commandLine.ChannelName, out var channel))
        {
            throw new SampleException($"unknown channel '{commandLine.ChannelName}'; channels: {engine.Eligibility.Channels.DescribeNames()}.");
        }

        var channelContent = message.ChannelFor(channel.Channel)
            ?? throw new SampleException($"message '{message.Id}' has no {channel.Channel} content; it has {string.Join(", ", message.Channels.Select(static c => c.Channel.ToString()))}.");
        OutgoingMessage rendered;
        try
        {
            rendered = services.GetRequiredService<MessageRenderer>().Render(content, customer, message, channel.Channel, channelContent.Template, Trigger.Tick.ToString(), at);
        }
        catch (TemplateRuntimeException ex)
        {
            throw new SampleException($"{Path.Combine(SampleHost.ResolveTemplatesDirectory(commandLine), ex.SourceName ?? channelContent.Template)} line {ex.Line}, column {ex.Column}: {ex.Detail}");
        }
        catch (MessageContentException ex)
        {
            throw new SampleException($"{ex.Code}: {ex.Message}");
        }

        Write(output, rendered, customer.AllowsPersonalization);
        return ConsoleApp.Ok;
    }

    private static void Write(TextWriter output, OutgoingMessage message, bool personalized)
    {
        output.WriteLine($"Preview: '{message.MessageId}' on {message.Channel} for {message.CustomerId} ({(personalized ? "personalized" : "no consent to personalization: neutral wording")})");
        output.WriteLine($"To:      {message.Recipient.Replace("\n", " / ", StringComparison.Ordinal)}");
        output.WriteLine($"Send at: {message.SendAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        output.WriteLine($"Key:     {message.IdempotencyKey}");
        foreach (var header in message.Headers)
        {
            output.WriteLine($"{header.Key}: {header.Value}");
        }

        output.WriteLine();
        switch (message.Content)
        {
            case EmailContent email:
                output.WriteLine($"From:      {email.From?.DisplayName} <{email.From?.Address}>");
                output.WriteLine($"Subject:   {email.Subject}");
                output.WriteLine($"Preheader: {email.Preheader}");
                output.WriteLine("--- text ---");
                output.WriteLine(email.TextBody);
                if (email.HtmlBody is not null)
                {
                    output.WriteLine("--- html ---");
                    output.WriteLine(email.HtmlBody);
                }

                break;
            case SmsContent sms:
                output.WriteLine(sms.Body);
                output.WriteLine($"--- {sms.Analysis.Segments} segment(s), {sms.Analysis.Encoding} ---");
                break;
            case PushContent push:
                output.WriteLine($"Title: {push.Title}");
                output.WriteLine($"Body:  {push.Body}");
                output.WriteLine($"Link:  {push.DeepLink}");
                break;
            case InAppContent inApp:
                output.WriteLine($"Title:  {inApp.Title}");
                output.WriteLine($"Body:   {inApp.Body}");
                output.WriteLine($"Action: {inApp.ActionLabel} → {inApp.ActionUrl}");
                break;
            case LetterContent letter:
                foreach (var line in letter.RecipientBlock)
                {
                    output.WriteLine(line);
                }

                output.WriteLine();
                output.WriteLine(letter.Body);
                break;
            case CallScriptContent call:
                output.WriteLine($"Greeting: {call.Greeting}");
                foreach (var point in call.TalkingPoints)
                {
                    output.WriteLine($"  • {point}");
                }

                output.WriteLine($"Ask: {call.Question}");
                break;
            case TextContent text:
                output.WriteLine(text.Body);
                break;
        }
    }
}

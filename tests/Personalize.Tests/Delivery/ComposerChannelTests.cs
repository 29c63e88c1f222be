using Personalize.Channels;
using Personalize.Channels.DirectMail;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Delivery;

namespace Personalize.Tests.Delivery;

public sealed class ComposerChannelTests
{
    [Fact]
    public void Push_goes_to_the_customer_devices_with_title_body_link_and_data()
    {
        var content = new PushContent { Title = "Roses are in", Body = "20% off this week", DeepLink = "garden://offers/roses", Data = new Dictionary<string, string> { ["offer"] = "roses20" } };

        var message = DeliveryFixture.Composer().Push(DeliveryFixture.Request(), content);

        var push = Assert.IsType<PushContent>(message.Content);
        Assert.Equal(["device-1", "device-2"], push.DeviceTokens);
        Assert.Equal("garden://offers/roses", push.DeepLink);
        Assert.Equal("c-42", message.Recipient);
        Assert.Equal(Channel.Push, message.Channel);
    }

    [Fact]
    public void Push_without_device_tokens_is_refused()
    {
        var customer = DeliveryFixture.Customer() with { ContactPoints = new Personalize.Customers.ContactPoints { Email = "a@example.com" } };

        var error = Assert.Throws<MessageContentException>(() => DeliveryFixture.Composer().Push(DeliveryFixture.Request(customer: customer), new PushContent { Title = "t", Body = "b" }));

        Assert.Equal(MessageContentCodes.ContactPointMissing, error.Code);
        Assert.Contains("no push device token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Letter_has_the_recipient_block_from_the_postal_address()
    {
        var message = DeliveryFixture.Composer().Letter(DeliveryFixture.Request(ContactPurpose.Relationship), "Thank you for ten years with us.", "Ada Lovelace");

        var letter = Assert.IsType<LetterContent>(message.Content);
        Assert.Equal(["Ada Lovelace", "12 Rose Lane", "Ponsonby", "Auckland 1011", "NZ"], letter.RecipientBlock);
        Assert.Equal("Ada Lovelace\n12 Rose Lane\nPonsonby\nAuckland 1011\nNZ", message.Recipient);
        Assert.Equal("Thank you for ten years with us.", letter.Body);
    }

    [Fact]
    public void Call_script_goes_to_the_phone_and_in_app_to_the_customer()
    {
        var composer = DeliveryFixture.Composer();
        var call = composer.Call(DeliveryFixture.Request(ContactPurpose.Relationship), new CallScriptContent { Greeting = "Hello Ada", TalkingPoints = ["Thank you", "Renewal"], Question = "How would you like to hear from us?" });
        var inApp = composer.InApp(DeliveryFixture.Request(), new InAppContent { Title = "Welcome back", Body = "New roses", ActionLabel = "Shop", ActionUrl = "/roses" });

        Assert.Equal("+64211234567", call.Recipient);
        Assert.Equal(Channel.Phone, call.Channel);
        Assert.Equal("How would you like to hear from us?", Assert.IsType<CallScriptContent>(call.Content).Question);
        Assert.Equal("c-42", inApp.Recipient);
        Assert.Equal(Channel.InApp, inApp.Channel);
    }

    [Fact]
    public void Host_channel_text_goes_to_its_contact_point_and_is_refused_without_one()
    {
        var whatsapp = new Channel("whatsapp");
        var composer = DeliveryFixture.Composer();

        var message = composer.Text(DeliveryFixture.Request(ContactPurpose.Service), whatsapp, ContactPointKind.Phone, "Your order is on its way.");
        var noPhone = DeliveryFixture.Customer() with { ContactPoints = new Personalize.Customers.ContactPoints { Email = "a@example.com" } };
        var error = Assert.Throws<MessageContentException>(() => composer.Text(DeliveryFixture.Request(customer: noPhone), whatsapp, ContactPointKind.Phone, "Hi"));

        Assert.Equal("+64211234567", message.Recipient);
        Assert.Equal(whatsapp, message.Channel);
        Assert.Equal("Your order is on its way.", Assert.IsType<TextContent>(message.Content).Body);
        Assert.Equal(MessageContentCodes.ContactPointMissing, error.Code);
        Assert.Contains("cannot go out on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_carry_their_send_identity()
    {
        var message = DeliveryFixture.Composer().InApp(DeliveryFixture.Request(ContactPurpose.Service, messageId: "order-shipped"), new InAppContent { Title = "t", Body = "b" });

        Assert.Equal("order-shipped", message.MessageId);
        Assert.Equal("c-42", message.CustomerId);
        Assert.Equal("campaign:spring-2026", message.Trigger);
        Assert.Equal(ContactPurpose.Service, message.Purpose);
        Assert.Equal(DeliveryFixture.SendAt, message.SendAt);
        Assert.Null(message.GetHeader("List-Id"));
    }
}

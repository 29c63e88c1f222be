using Personalize.Channels;

namespace Personalize.Tests.Channels;

public sealed class ChannelTests
{
    [Theory]
    [InlineData("email", "email")]
    [InlineData(" Email ", "email")]
    [InlineData("in-app", "in_app")]
    [InlineData("Direct Mail", "direct_mail")]
    [InlineData("WhatsApp", "whatsapp")]
    public void Names_are_normalized(string input, string expected)
    {
        Assert.True(Channel.TryParse(input, out var channel));
        Assert.Equal(expected, channel.Name);
    }

    [Fact]
    public void Well_known_channels_equal_their_parsed_names()
    {
        Assert.Equal(Channel.InApp, new Channel("In-App"));
        Assert.Equal(Channel.DirectMail, new Channel("direct_mail"));
        Assert.NotEqual(Channel.Sms, Channel.Phone);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("9lives")]
    [InlineData("e/mail")]
    [InlineData("a-very-long-channel-name-that-goes-on-and-on")]
    public void Malformed_names_are_rejected(string input)
    {
        Assert.False(Channel.TryParse(input, out _));
        Assert.Throws<ArgumentException>(() => new Channel(input));
    }

    [Fact]
    public void Registry_knows_built_in_and_host_channels()
    {
        var registry = new PersonalizeOptions().AddChannel("WhatsApp", ContactPointKind.Phone, "WhatsApp").CreateChannelRegistry();

        Assert.Equal(7, registry.All.Count);
        Assert.True(registry.TryResolve("whatsapp", out var whatsapp));
        Assert.Equal(ContactPointKind.Phone, whatsapp.ContactPoint);
        Assert.False(registry.TryResolve("fax", out _));
        Assert.False(ChannelRegistry.Default.Contains(new Channel("whatsapp")));
    }

    [Fact]
    public void Registry_takes_up_to_its_maximum_of_channels_and_says_so_beyond()
    {
        static ChannelDefinition[] HostChannels(int count)
            => Enumerable.Range(0, count).Select(i => new ChannelDefinition(new Channel($"host_{i}"), $"Host {i}", ContactPointKind.None, respectsTiming: false)).ToArray();
        var builtIn = ChannelRegistry.Default.All.Count;

        Assert.Equal(ChannelRegistry.MaxChannels, ChannelRegistry.Create(HostChannels(ChannelRegistry.MaxChannels - builtIn)).All.Count);
        var error = Assert.Throws<ArgumentException>(() => ChannelRegistry.Create(HostChannels(ChannelRegistry.MaxChannels - builtIn + 1)));
        Assert.Contains("at most 1024 channels", error.Message, StringComparison.Ordinal);
    }
}

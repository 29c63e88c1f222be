using System.Text;
using Personalize.Events;

namespace Personalize.Tests.Events;

/// <summary>The string cache the stores read facts and ids through: the right text always, one string per repeated ASCII text.</summary>
public sealed class Utf8StringCacheTests
{
    [Fact]
    public void The_same_text_read_twice_is_one_string()
    {
        var cache = new Utf8StringCache();

        var first = cache.Get("last_purchase_at"u8);
        var second = cache.Get(Encoding.UTF8.GetBytes("last_purchase_at"));

        Assert.Equal("last_purchase_at", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Many_texts_through_the_same_slots_each_read_as_themselves()
    {
        var cache = new Utf8StringCache();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 5000; i++)
            {
                var text = "t-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(text, cache.Get(Encoding.UTF8.GetBytes(text)));
            }
        }
    }

    [Theory]
    [InlineData("Zoë")]
    [InlineData("東京")]
    [InlineData("")]
    public void Text_beyond_ascii_reads_as_itself_every_time(string text)
    {
        var cache = new Utf8StringCache();
        var bytes = Encoding.UTF8.GetBytes(text);

        Assert.Equal(text, cache.Get(bytes));
        Assert.Equal(text, cache.Get(bytes));
    }

    [Fact]
    public void Text_longer_than_the_cache_keeps_reads_as_itself()
    {
        var text = new string('x', 200);

        Assert.Equal(text, new Utf8StringCache().Get(Encoding.UTF8.GetBytes(text)));
    }
}

namespace Personalize.AspNetCore.Tests;

public sealed class LanguageFallbackTests
{
    [Fact]
    public void A_topic_label_falls_back_from_the_regional_code_to_the_neutral_language_then_the_default_label()
    {
        var topic = new PreferenceTopic("gardening", "Gardening tips");
        topic.Labels["de"] = "Gartentipps";
        topic.Labels["de-AT"] = "Gartln";

        Assert.Equal(
            ["Gartln", "Gartln", "Gartentipps", "Gartentipps", "Gardening tips", "Gardening tips"],
            new[] { "de-AT", "DE-at", "de-CH", "de", "fr-CA", "-de" }.Select(topic.LabelFor));
    }

    [Fact]
    public void The_page_texts_fall_back_the_same_way()
    {
        var options = new PreferenceCenterOptions();

        Assert.Same(options.Texts["de"], options.TextFor("de-CH"));
        Assert.Same(options.Texts["en"], options.TextFor("fr-CA"));
        Assert.Same(options.Texts["en"], options.TextFor(null));
    }

    [Fact]
    public void Falling_back_to_the_neutral_language_allocates_nothing()
    {
        var topic = new PreferenceTopic("gardening", "Gardening tips");
        topic.Labels["de"] = "Gartentipps";
        _ = topic.LabelFor("de-CH");

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = (topic.LabelFor("de-CH"), topic.LabelFor("fr-CA"));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

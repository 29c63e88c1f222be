using Personalize.Sending;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

public sealed class MessageTemplatesTests
{
    [Fact]
    public void Every_referenced_part_compiles_once_in_either_syntax()
    {
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        var content = MessageTemplates.Compile(catalog, new SendingKit.MemoryLoader(SendingKit.Templates()));

        Assert.False(content.HasErrors, string.Join("\n", content.Diagnostics));
        Assert.Equal(3, content.Count);
        Assert.True(content.TryGet("tips/email", out var email));
        Assert.Equal(["subject", "preheader", "html", "text"], email.PartNames);
        Assert.True(content.TryGet("tips/sms", out var sms));
        Assert.True(sms.TryGetPart("body", out var body));
        Assert.Equal(Personalize.Templates.TemplateSyntax.Liquid, body.Options.Syntax);
        Assert.Equal("tips/sms.body.liquid", body.Options.SourceName);
    }

    [Fact]
    public void Missing_parts_and_parse_errors_are_all_reported_with_file_line_and_column()
    {
        var templates = SendingKit.Templates();
        templates.Remove("tips/email.text.sbn");
        templates["tips/email.subject.sbn"] = "Hello\n{{ customer.first_name + }}";
        templates["tips/sms.body.liquid"] = "Hi {% if customer.tier %}gold";
        var catalog = SendingKit.Catalog(DecisionKit.Engine());

        var content = MessageTemplates.Compile(catalog, new SendingKit.MemoryLoader(templates));

        Assert.True(content.HasErrors);
        var missing = Assert.Single(content.Diagnostics, d => d.Part == "text");
        Assert.Equal("tips/email.text.sbn", missing.File);
        Assert.Contains("needs part 'text'", missing.Message, StringComparison.Ordinal);
        var subject = Assert.Single(content.Diagnostics, d => d.Part == "subject");
        Assert.Equal("tips/email.subject.sbn", subject.File);
        Assert.Equal(2, subject.Line);
        Assert.True(subject.Column > 0);
        Assert.StartsWith("tips/email.subject.sbn(2,", subject.ToString(), StringComparison.Ordinal);
        Assert.Contains(content.Diagnostics, d => d.File == "tips/sms.body.liquid" && d.Line == 1);
        Assert.False(content.TryGet("tips/email", out _));
        Assert.True(content.TryGet("notice/email", out _));
        var ex = Assert.Throws<MessageTemplateException>(content.ThrowIfErrors);
        Assert.Contains("tips/email.text.sbn", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_syntaxes_for_one_part_is_an_error()
    {
        var templates = SendingKit.Templates();
        templates["tips/sms.body.sbn"] = "Hi";
        var content = MessageTemplates.Compile(SendingKit.Catalog(DecisionKit.Engine()), new SendingKit.MemoryLoader(templates));

        var diagnostic = Assert.Single(content.Diagnostics);
        Assert.Contains("keep one", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Included_partials_are_checked_when_compiling()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "Hi\n{{ include \"partials/missing.sbn\" }}\nwe include 'this' in plain text";
        templates["tips/email.html.sbn"] = "<p>{{ include \"partials/footer.sbn\" }}</p>";
        templates["partials/footer.sbn"] = "{{ include \"partials/broken.sbn\" }}";
        templates["partials/broken.sbn"] = "{{ if }}";
        templates["notice/email.text.sbn"] = "{{ include \"partials/ok.sbn\" }}";
        templates["partials/ok.sbn"] = "{{ why }}";

        var content = MessageTemplates.Compile(SendingKit.Catalog(DecisionKit.Engine()), new SendingKit.MemoryLoader(templates));

        var missing = Assert.Single(content.Diagnostics, d => d.File == "tips/email.text.sbn");
        Assert.Equal(2, missing.Line);
        Assert.Contains("'partials/missing.sbn' does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains(content.Diagnostics, d => d.File == "partials/broken.sbn" && d.Line == 1);
        Assert.False(content.TryGet("tips/email", out _));
        Assert.True(content.TryGet("notice/email", out _));
    }

    [Fact]
    public void An_include_cycle_is_reported_when_compiling_not_per_recipient()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.html.sbn"] = "<p>{{ include \"partials/a.sbn\" }}</p>";
        templates["partials/a.sbn"] = "A\n{{ include \"partials/b.sbn\" }}";
        templates["partials/b.sbn"] = "B {{ include \"partials/a.sbn\" }}";
        templates["tips/sms.body.liquid"] = "Hi {% include 'tips/sms.body.liquid' %}";
        templates["notice/email.text.sbn"] = "{{ include \"partials/ok.sbn\" }} {{ include \"partials/ok.sbn\" }}";
        templates["partials/ok.sbn"] = "{{ include \"partials/leaf.sbn\" }}";
        templates["partials/leaf.sbn"] = "{{ why }}";

        var content = MessageTemplates.Compile(SendingKit.Catalog(DecisionKit.Engine()), new SendingKit.MemoryLoader(templates));

        var cycle = Assert.Single(content.Diagnostics, d => d.File == "partials/b.sbn");
        Assert.Equal(1, cycle.Line);
        Assert.Contains("Include cycle: partials/a.sbn → partials/b.sbn → partials/a.sbn", cycle.Message, StringComparison.Ordinal);
        var self = Assert.Single(content.Diagnostics, d => d.File == "tips/sms.body.liquid");
        Assert.Contains("Include cycle: tips/sms.body.liquid → tips/sms.body.liquid", self.Message, StringComparison.Ordinal);
        Assert.False(content.TryGet("tips/email", out _));
        Assert.False(content.TryGet("tips/sms", out _));

        // The same partial included twice, and a chain without a cycle, are fine.
        Assert.True(content.TryGet("notice/email", out _));
    }

    [Fact]
    public void Liquid_render_and_includes_inside_the_liquid_tag_are_checked_but_raw_text_and_comments_are_not()
    {
        var templates = SendingKit.Templates();
        templates.Remove("tips/sms.body.sbn");
        templates["tips/sms.body.liquid"] = "Hi {% render 'partials/missing-render' %}\n{% liquid\n  if true\n    include 'partials/missing-line'\n  endif %}";
        templates.Remove("notice/email.text.sbn");
        templates["notice/email.text.liquid"] = "{% raw %}{% include 'partials/not-a-reference' %}{% endraw %}{% comment %}{% render 'partials/nor-this' %}{% endcomment %}{% render 'partials/ok' %}";
        templates["partials/ok"] = "fine";

        var content = MessageTemplates.Compile(SendingKit.Catalog(DecisionKit.Engine()), new SendingKit.MemoryLoader(templates));

        var missing = content.Diagnostics.Where(d => d.File == "tips/sms.body.liquid").OrderBy(d => d.Line).ToList();
        Assert.Equal(2, missing.Count);
        Assert.Contains("'partials/missing-render' does not exist", missing[0].Message, StringComparison.Ordinal);
        Assert.Equal((1, 4), (missing[0].Line, missing[0].Column));
        Assert.Contains("'partials/missing-line' does not exist", missing[1].Message, StringComparison.Ordinal);
        Assert.Equal(4, missing[1].Line);
        Assert.False(content.TryGet("tips/sms", out _));
        Assert.DoesNotContain(content.Diagnostics, d => d.File == "notice/email.text.liquid");
        Assert.True(content.TryGet("notice/email", out _));
    }
}

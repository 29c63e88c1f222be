using System.Reflection;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Sandbox;

/// <summary>Issue 12: templates read host objects through a filtered, read-only view.</summary>
public sealed class HostModelTests
{
    private sealed class Account
    {
        public string Email { get; set; } = "ada@example.com";

        public string Secret { get; set; } = "s3cr3t";
    }

    private sealed class Model
    {
        public Func<int> Cb { get; } = () => 42;

        public object T { get; } = typeof(string);

        public Type DeclaredType { get; } = typeof(Template);

        public Exception Ex { get; } = MakeException();

        public object ExAsObject { get; } = MakeException();

        public Account Acct { get; } = new();

        public object? File { get; init; }

        public Dictionary<string, object?> Bag { get; } = new() { ["name"] = "Ada" };

        public List<object?> Items { get; } = ["a", "b"];

        private static Exception MakeException()
        {
            try
            {
                throw new InvalidOperationException("boom");
            }
            catch (InvalidOperationException ex)
            {
                return ex;
            }
        }
    }

    private static string Render(string source, object model, TemplateOptions? options = null) =>
        Template.ParseOrThrow(source, options).Render(new { M = model });

    [Theory]
    [InlineData("{{ m.cb }}")]
    [InlineData("{{ m.cb?.method }}")]
    [InlineData("{{ m.cb?.target }}")]
    [InlineData("{{ m.t.assembly }}")]
    [InlineData("{{ m.t }}")]
    [InlineData("{{ m.declared_type }}")]
    [InlineData("{{ m.ex?.stack_trace }}")]
    [InlineData("{{ m.ex }}")]
    [InlineData("{{ m.ex_as_object }}")]
    [InlineData("{{ m.ex_as_object.stack_trace }}")]
    [InlineData("{{ m.ex_as_object.target_site }}")]
    public void Reflection_delegates_and_exceptions_are_not_visible(string source)
    {
        Assert.Equal(string.Empty, Render(source, new Model()));
    }

    [Fact]
    public void The_issue_chains_reach_nothing()
    {
        var model = new Model();

        var chain = Assert.Throws<TemplateRuntimeException>(() => Render("{{ m.cb.method.declaring_type.assembly.location }}", model));
        Assert.DoesNotContain(".dll", chain.Message, StringComparison.OrdinalIgnoreCase);
        var types = Assert.Throws<TemplateRuntimeException>(() => Render("{{ m.t.assembly.defined_types | array.size }}", model));
        Assert.Contains("null object", types.Detail, StringComparison.Ordinal);
        Assert.Equal("0", Render("{{ m.t?.assembly?.defined_types | array.size }}", model));
        Assert.Equal(string.Empty, Render("{{ m.ex?.stack_trace }}", model));
    }

    [Fact]
    public void Object_members_of_a_denied_value_are_not_listed()
    {
        Assert.Equal("[]", Render("{{ m.ex_as_object | object.keys }}", new Model()));
    }

    [Fact]
    public void Plain_data_stays_readable()
    {
        Assert.Equal("ada@example.com Ada b", Render("{{ m.acct.email }} {{ m.bag.name }} {{ m.items[1] }}", new Model()));
    }

    [Fact]
    public void Assigning_a_member_of_a_host_object_is_an_error_and_changes_nothing()
    {
        var model = new Model();

        var ex = Assert.Throws<TemplateRuntimeException>(() => Render("{{ m.acct.email = 'attacker@evil.example' }}", model));

        Assert.Contains("read-only", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("UnsafeHostAccess", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("ada@example.com", model.Acct.Email);
    }

    [Fact]
    public void A_template_cannot_make_a_file_read_only()
    {
        var path = Path.GetTempFileName();
        try
        {
            var model = new Model { File = new FileInfo(path) };

            Assert.Throws<TemplateRuntimeException>(() => Render("{{ m.file.is_read_only = true }}", model));

            Assert.False(new FileInfo(path).IsReadOnly);
            Assert.Equal(string.Empty, Render("{{ m.file.full_name }}{{ m.file }}", model));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{{ m.bag.name = 'x' }}")]
    [InlineData("{{ m.bag['name'] = 'x' }}")]
    [InlineData("{{ m.items[0] = 'x' }}")]
    public void Host_dictionaries_and_lists_are_read_only(string source)
    {
        var model = new Model();

        Assert.Throws<TemplateRuntimeException>(() => Render(source, model));

        Assert.Equal("Ada", model.Bag["name"]);
        Assert.Equal("a", model.Items[0]);
    }

    [Fact]
    public void Assignment_creates_template_variables_and_objects_templates_made_stay_writable()
    {
        Assert.Equal("x@example.com 2", Render("{{ email = 'x@example.com'; o = {}; o.n = 2; a = [1]; a[0] = 2 }}{{ email }} {{ o.n }}", new Model()));
    }

    [Fact]
    public void Writing_host_objects_is_an_explicit_opt_in()
    {
        var model = new Model();
        var options = new TemplateOptions { UnsafeHostAccess = UnsafeHostAccess.WriteHostObjects };

        Render("{{ m.acct.email = 'new@example.com'; m.bag.name = 'Bo' }}", model, options);

        Assert.Equal("new@example.com", model.Acct.Email);
        Assert.Equal("Bo", model.Bag["name"]);
    }

    [Fact]
    public void Reading_denied_members_is_an_explicit_opt_in()
    {
        var options = new TemplateOptions { UnsafeHostAccess = UnsafeHostAccess.ReadDeniedMembers };

        Assert.Equal("boom", Render("{{ m.ex.message }}", new Model(), options));
        Assert.Equal(string.Empty, Render("{{ m.ex?.message }}", new Model()));
    }

    [Fact]
    public void A_member_filter_narrows_what_templates_see()
    {
        var options = new TemplateOptions { MemberFilter = static member => member.Name != nameof(Account.Secret) };

        Assert.Equal("ada@example.com|", Render("{{ m.acct.email }}|{{ m.acct.secret }}", new Model(), options));
        Assert.Equal("s3cr3t", Render("{{ m.acct.secret }}", new Model()));
    }

    [Fact]
    public void The_member_filter_is_asked_once_per_member_not_per_render()
    {
        var asked = 0;
        Func<MemberInfo, bool> filter = member =>
        {
            Interlocked.Increment(ref asked);
            return true;
        };
        var template = Template.ParseOrThrow("{{ m.email }}", new TemplateOptions { MemberFilter = filter });

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("ada@example.com", template.Render(new { M = new Account() }));
        }

        Assert.True(asked <= 4, $"asked {asked} times");
    }

    [Fact]
    public void Parse_leaves_the_hosts_globals_writable_and_keeps_what_it_saw()
    {
        var globals = new ScriptObject { ["brand"] = "ACME" };
        var nested = new ScriptObject { ["x"] = 1 };
        globals["nested"] = nested;
        var template = Template.ParseOrThrow("{{ brand }} {{ nested.x }}", new TemplateOptions { Globals = globals });

        globals["brand"] = "Other";
        nested["x"] = 2;

        Assert.False(globals.IsFrozen);
        Assert.False(nested.IsFrozen);
        Assert.Equal("ACME 1", template.Render());
        Assert.True(template.Options.Globals!.IsFrozen);
        Assert.Equal("Other 2", Template.ParseOrThrow("{{ brand }} {{ nested.x }}", new TemplateOptions { Globals = globals }).Render());
    }
}

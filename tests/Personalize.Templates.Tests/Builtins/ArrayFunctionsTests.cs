using Personalize.Templates.Runtime;
using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class ArrayFunctionsTests
{
    [Fact]
    public void Basic_functions_follow_the_documented_examples()
    {
        Assert.Equal("[1, 2, 3, 4]", Text("array.add", Array(1, 2, 3), 4));
        Assert.Equal("[1, 2, 3, 4, 5]", Text("array.add_range", Array(1, 2, 3), Array(4, 5)));
        Assert.Equal("[1, 3]", Text("array.compact", Array(1, null, 3)));
        Assert.Equal("[1, 2, 3, 4, 5]", Text("array.concat", Array(1, 2, 3), Array(4, 5)));
        Assert.Equal("4", Text("array.first", Array(4, 5, 6)));
        Assert.Equal("6", Text("array.last", Array(4, 5, 6)));
        Assert.Equal("[\"a\", \"b\", \"Yo\", \"c\"]", Text("array.insert_at", Array("a", "b", "c"), 2, "Yo"));
        Assert.Equal("1|2|3", Text("array.join", Array(1, 2, 3), "|"));
        Assert.Equal("[4, 5]", Text("array.limit", Array(4, 5, 6), 2));
        Assert.Equal("[6, 7, 8]", Text("array.offset", Array(4, 5, 6, 7, 8), 2));
        Assert.Equal("[4, 5, 7, 8]", Text("array.remove_at", Array(4, 5, 6, 7, 8), 2));
        Assert.Equal("[4, 5, 6, 7]", Text("array.remove_at", Array(4, 5, 6, 7, 8), -1));
        Assert.Equal("[7, 6, 5, 4]", Text("array.reverse", Array(4, 5, 6, 7)));
        Assert.Equal("3", Text("array.size", Array(4, 5, 6)));
        Assert.Equal("[2, 6, 10]", Text("array.sort", Array(10, 2, 6)));
        Assert.Equal("[1, 4, 5, 8]", Text("array.uniq", Array(1, 1, 4, 5, 8, 8)));
        Assert.Equal("true", Text("array.contains", Array(1, 2, 3, 4), 4));
        Assert.Equal("false", Text("array.contains", Array(1, 2, 3, 4), "4"));
    }

    [Fact]
    public void Inputs_are_never_modified()
    {
        var input = Array(3, 1, 2);
        Call(Context(), "array.add", input, 4);
        Call(Context(), "array.sort", input);
        Call(Context(), "array.reverse", input);
        Call(Context(), "array.remove_at", input, 0);
        Assert.Equal("[3, 1, 2]", input.ToString());
    }

    [Fact]
    public void Null_lists_behave_like_scriban()
    {
        Assert.Equal("0", Text("array.size", [null]));
        Assert.Null(Call(Context(), "array.uniq", [null]));
        Assert.Null(Call(Context(), "array.first", [null]));
        Assert.Null(Call(Context(), "array.last", [null]));
        Assert.Equal("[]", Text("array.reverse", [null]));
        Assert.Equal("[]", Text("array.remove_at", null, 0));
        Assert.Equal("[5]", Text("array.add", null, 5));
        Assert.Equal("[5]", Text("array.add_range", null, Array(5)));
        Assert.Equal("[5]", Text("array.add_range", Array(5), null));
        Assert.Equal("[]", Text("array.map", null, "name"));
        Assert.Equal("[]", Text("array.sort", [null]));
        Assert.Equal("[5]", Text("array.insert_at", null, -1, 5));
        Assert.Equal("[null, 5]", Text("array.insert_at", null, 1, 5));
        Assert.Null(Call(Context(), "array.concat", null, null));
        Assert.Equal("[5, 6]", Text("array.concat", null, Array(5, 6)));
        Assert.Null(Call(Context(), "array.compact", [null]));
        Assert.Null(Call(Context(), "array.limit", null, 2));
        Assert.Null(Call(Context(), "array.offset", null, 2));
    }

    [Fact]
    public void Limit_and_offset_edges()
    {
        Assert.Equal("[]", Text("array.limit", Array(1, 2, 3, 4), 0));
        Assert.Equal("[1, 2, 3, 4]", Text("array.offset", Array(1, 2, 3, 4), -1));
        Assert.Equal("[]", Text("array.offset", Array(1, 2, 3, 4), 10));
    }

    [Fact]
    public void Sort_by_member_is_stable_and_wraps_a_single_value()
    {
        var list = Array(Object(("id", 5), ("n", "a")), Object(("id", 1), ("n", "b")), Object(("id", 5), ("n", "c")));
        Assert.Equal("[{id: 1, n: \"b\"}, {id: 5, n: \"a\"}, {id: 5, n: \"c\"}]", Text("array.sort", list, "id"));
        Assert.Equal("[5]", Text("array.sort", 5));
    }

    [Fact]
    public void Map_reads_members_of_objects_and_object_members_as_key_value()
    {
        var products = Array(Object(("title", "orange"), ("type", "fruit")), Object(("title", "sofa"), ("type", "furniture")));
        Assert.Equal("[\"fruit\", \"furniture\"]", Text("array.map", products, "type"));
        Assert.Equal("[\"a\", \"b\"]", Text("array.map", Object(("a", 1), ("b", 2)), "key"));
    }

    [Fact]
    public void Uniq_compares_like_the_equality_operator()
    {
        Assert.Equal("[1, \"1\", 2]", Text("array.uniq", Array(1, 1.0, "1", 2, 2L)));
    }

    [Fact]
    public void Cycle_advances_per_list_or_group_within_one_render()
    {
        var context = Context();
        var texts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            texts.Add(Text(context, "array.cycle", Array("one", "two", "three")));
        }

        Assert.Equal(["one", "two", "three", "one"], texts);

        var grouped = string.Concat(
            Text(context, "array.cycle", Array("a", "b"), "g"),
            Text(context, "array.cycle", Array("x", "y"), "g"),
            Text(context, "array.cycle", Array("a", "b")));
        Assert.Equal("aya", grouped);

        // A new render starts over.
        Assert.Equal("one", Text(Context(), "array.cycle", Array("one", "two", "three")));
        Assert.Equal(string.Empty, Text(context, "array.cycle", [null]));
    }

    [Fact]
    public void Function_arguments_are_called_for_each_item()
    {
        var strip = Function("string.strip");
        var contains = Function("string.contains");
        var empty = Function("string.empty");
        var literal = Function("string.literal");
        Assert.Equal("[\"a\", \"5\", \"6\"]", Text("array.each", Array(" a", " 5", "6 "), strip));
        Assert.Equal("true", Text("array.any", Array(" hello", " world", "20"), contains, "20"));
        Assert.Equal("false", Text("array.any", Array(" hello", " world", "20"), contains, "30"));
        Assert.Equal("[\"\", \"\"]", Text("array.filter", Array(string.Empty, "200", string.Empty, "400"), empty));
        Assert.Equal("\"1\", \"2\", \"3\"", Text("array.join", Array(1, 2, 3), ", ", literal));
    }

    [Fact]
    public void A_scalar_where_a_list_is_expected_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "array.first", 5));
        Assert.Contains("Expected an array", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_argument_is_an_error()
    {
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "array.cycle"));
    }
}

namespace Personalize.Templates.Syntax;

/// <summary>
/// Lists the variable paths an expression reads (<see cref="TemplateExpression.GetReadPaths"/>): each chain of member
/// accesses and literal indexers that starts at a global variable, written with dots (<c>customer.facts.order_count</c>,
/// <c>customer.facts["answer.color"]</c> as <c>customer.facts.answer.color</c>), outermost chain only. A chain broken by
/// a computed index stops before it (<c>customer.facts[name]</c> reads <c>customer.facts</c>). Iterative.
/// </summary>
internal static class ReadPathWalker
{
    public static IReadOnlyList<string> Collect(ScriptNode root)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ScriptNode>();
        pending.Push(root);
        var parts = new List<string>();
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is MemberExpression or IndexerExpression or GlobalVariable)
            {
                parts.Clear();
                var current = node;
                while (true)
                {
                    if (current is MemberExpression member)
                    {
                        parts.Add(member.Name);
                        current = member.Target;
                    }
                    else if (current is IndexerExpression { Index: LiteralExpression { Value: string key } } literal)
                    {
                        parts.Add(key);
                        current = literal.Target;
                    }
                    else if (current is IndexerExpression computed)
                    {
                        pending.Push(computed.Index);
                        parts.Clear();
                        current = computed.Target;
                    }
                    else
                    {
                        break;
                    }
                }

                if (current is GlobalVariable global)
                {
                    parts.Add(global.Name);
                    parts.Reverse();
                    var path = string.Join('.', parts);
                    if (seen.Add(path))
                    {
                        found.Add(path);
                    }
                }
                else
                {
                    pending.Push(current);
                }

                continue;
            }

            foreach (var child in node.Children)
            {
                if (child is not null)
                {
                    pending.Push(child);
                }
            }
        }

        return found;
    }
}

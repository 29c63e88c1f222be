using Personalize.Consent;
using Personalize.Storage;

namespace Personalize.Tests.Storage;

/// <summary>The database stores' row mapping: consent sources read one after another keep their own kind and detail.</summary>
public sealed class StoreRowsTests
{
    [Fact]
    public void Consent_sources_read_in_any_order_are_their_own_kind_and_detail()
    {
        // A reader keeps recent sources and hands a repeated one out again; sources that differ in kind, detail, letter
        // case or only by a missing detail must never be mixed up, whatever the order.
        (ConsentSourceKind Kind, string? Detail)[] rows =
        [
            (ConsentSourceKind.Form, "preference center"), (ConsentSourceKind.Import, "preference center"), (ConsentSourceKind.Form, null),
            (ConsentSourceKind.Form, "Preference center"), (ConsentSourceKind.Channel, "STOP"), (ConsentSourceKind.Form, "preference center"),
            (ConsentSourceKind.Channel, "STOP "), (ConsentSourceKind.Api, null), (ConsentSourceKind.Form, "preference centre"),
        ];

        for (var round = 0; round < 3; round++)
        {
            foreach (var (kind, detail) in rows)
            {
                var source = StoreRows.SourceOf(kind, detail);
                Assert.Equal(new ConsentSource(kind, detail), source);
            }
        }

        Assert.Same(StoreRows.SourceOf(ConsentSourceKind.Form, "preference center"), StoreRows.SourceOf(ConsentSourceKind.Form, "preference center"));
    }
}

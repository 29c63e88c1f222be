using System.Collections.ObjectModel;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// Channel selection matches the customer's ranking to a message's channels by their positions in the channel
/// registry (ADR 0078): the order channels are tried in must be the one the names give — ranked first in the
/// customer's order (a repeated rank counts once, a channel nobody registered matches nothing), then the message's
/// other channels in catalog order — for built-in and host channels, whatever list type holds the ranking, and per
/// customer of a batch (the engine reuses one context for the batch's customers).
/// </summary>
public class ChannelRankingOrderTests
{
    private static readonly Trigger Tick = Trigger.Tick;

    private static Personalize.Decisions.DecisionEngine WhatsAppEngine()
        => Engine(personalize: o => o.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp"));

    private static CompiledCatalog FourChannels(Personalize.Decisions.DecisionEngine engine) => Compile(engine, b => b
        .Add("m", m => m.Relationship().OnSchedule()
            .Channel(Channel.Email, "m/email")
            .Channel(Channel.Sms, "m/sms")
            .Channel(new Channel("whatsapp"), "m/whatsapp")
            .Channel(Channel.Push, "m/push")));

    public static TheoryData<string> ListKinds => new() { "array", "list", "read-only collection" };

    private static IReadOnlyList<Channel> Ranking(string kind, params Channel[] channels) => kind switch
    {
        "array" => channels,
        "list" => new List<Channel>(channels),
        _ => new ReadOnlyCollection<Channel>(channels),
    };

    [Theory]
    [MemberData(nameof(ListKinds))]
    public void Ranked_channels_are_tried_in_the_customers_order_once_each_then_the_others_in_catalog_order(string kind)
    {
        var engine = WhatsAppEngine();
        var catalog = FourChannels(engine);

        // A host channel parsed from another spelling (another string instance than the registry's), an unregistered
        // channel, and a repeated rank; no consent anywhere, so every channel is tried and blocked.
        var ranking = Ranking(kind, new Channel("WhatsApp"), Channel.Sms, new Channel("fax"), Channel.Sms, Channel.Email);
        var customer = Customer(consents: [], preferences: new ContactPreferences { ChannelRanking = ranking });

        var decision = engine.Decide(catalog, customer, Tick, Now);

        var tried = Outcome(decision, "m").Channels.Select(c => c.Channel.ToString()).ToArray();
        Assert.Equal(new[] { "whatsapp", "sms", "email", "push" }, tried);
        Assert.False(decision.HasWinner);
    }

    [Theory]
    [MemberData(nameof(ListKinds))]
    public void The_first_allowed_channel_in_the_ranking_wins(string kind)
    {
        var engine = WhatsAppEngine();
        var catalog = FourChannels(engine);
        var customer = Customer(
            consents: [Grant(Channel.Email), Grant(Channel.Push), Grant(new Channel("whatsapp"))],
            preferences: new ContactPreferences { ChannelRanking = Ranking(kind, Channel.Sms, Channel.Push, new Channel("whatsapp")) });

        var decision = engine.Decide(catalog, customer, Tick, Now);

        Assert.Equal(Channel.Push, Assert.Single(decision.Winners).Channel);
        Assert.Equal(new[] { "sms", "push" }, Outcome(decision, "m").Channels.Select(c => c.Channel.ToString()).ToArray());
    }

    [Fact]
    public void Without_a_ranking_the_catalog_order_decides_and_an_unranked_channel_is_tried_after_the_ranked_ones()
    {
        var engine = WhatsAppEngine();
        var catalog = FourChannels(engine);
        var unranked = Customer(consents: [Grant(Channel.Push), Grant(Channel.Sms)], preferences: new ContactPreferences { ChannelRanking = [] });
        var pushRanked = Customer(consents: [Grant(Channel.Push), Grant(Channel.Sms)], preferences: new ContactPreferences { ChannelRanking = [Channel.Push] });

        Assert.Equal(Channel.Sms, Assert.Single(engine.Decide(catalog, unranked, Tick, Now).Winners).Channel);
        Assert.Equal(Channel.Push, Assert.Single(engine.Decide(catalog, pushRanked, Tick, Now).Winners).Channel);
    }

    [Fact]
    public void Each_customer_of_a_batch_is_matched_with_their_own_ranking()
    {
        var engine = WhatsAppEngine();
        var catalog = FourChannels(engine);
        var consents = new[] { Grant(Channel.Email), Grant(Channel.Sms), Grant(Channel.Push), Grant(new Channel("whatsapp")) };
        Channel[][] rankings = [[Channel.Sms], [Channel.Push, Channel.Email], [], [new Channel("whatsapp")], [Channel.Email, Channel.Email, Channel.Sms]];
        var customers = rankings.Select((r, i) => Customer(id: "c-" + i, consents: consents, preferences: new ContactPreferences { ChannelRanking = r })).ToArray();

        var decisions = engine.DecideMany(catalog, customers, Tick, Now, maxDegreeOfParallelism: 1);

        Assert.Equal(new[] { "sms", "push", "email", "whatsapp", "email" }, decisions.Select(d => Assert.Single(d.Winners).Channel.ToString()).ToArray());
    }

    [Fact]
    public void Every_channel_without_a_usable_contact_point_is_listed_in_try_order_with_its_code_alone_and_in_a_batch()
    {
        // Eighteen host channels (every third needs an email address, which the customer has but invalid; the others a
        // postal address, which they lack) and push third (a device token, but no consent): more tries without a contact
        // point, at later positions and on later channels, than a candidate keeps beside its stored tries.
        var engine = Engine(personalize: o =>
        {
            for (var i = 0; i < 18; i++)
            {
                o.AddChannel("h" + i, i % 3 == 0 ? ContactPointKind.Email : ContactPointKind.PostalAddress, "Host " + i, respectsTiming: false);
            }
        });
        var catalog = Compile(engine, b => b.Add("m", m =>
        {
            m.Relationship().OnSchedule().Channel(new Channel("h0"), "m/h0").Channel(new Channel("h1"), "m/h1").Channel(Channel.Push, "m/push");
            for (var i = 2; i < 18; i++)
            {
                m.Channel(new Channel("h" + i), "m/h" + i);
            }
        }));
        var customer = Customer(consents: [], preferences: new ContactPreferences()) with
        {
            ContactPoints = new ContactPoints { Email = "not an address", DeviceTokens = ["tok"] },
        };

        var expected = new[] { "h0", "h1", "push" }.Concat(Enumerable.Range(2, 16).Select(i => "h" + i))
            .Select(c => (c, c == "push" ? "consent.missing" : int.Parse(c[1..]) % 3 == 0 ? "contact_point.invalid" : "contact_point.missing"))
            .ToArray();
        var alone = engine.Decide(catalog, customer, Tick, Now);
        var batch = engine.DecideMany(catalog, [customer, customer, customer], Tick, Now, maxDegreeOfParallelism: 1);

        Assert.Equal(expected, Outcome(alone, "m").Channels.Select(c => (c.Channel.ToString(), c.Code)).ToArray());
        Assert.All(Outcome(alone, "m").Channels, c => Assert.Equal(Personalize.Decisions.ChannelStatus.Blocked, c.Status));
        Assert.Contains("Host 0 — contact_point.invalid; Host 1 — contact_point.missing; Push — consent.missing; Host 2 — contact_point.missing", alone.Explain(), StringComparison.Ordinal);
        foreach (var decision in batch)
        {
            Assert.Equal(expected, Outcome(decision, "m").Channels.Select(c => (c.Channel.ToString(), c.Code)).ToArray());
            Assert.Equal(alone.Explain(), decision.Explain());
            Assert.Equal(alone.ToJson(), decision.ToJson());
        }
    }
}

using Personalize.Consent;

namespace Personalize.Tests.Consent;

public sealed class ConsentLedgerTests
{
    private static readonly ConsentScope Email = ConsentScope.ForChannel(Channel.Email);
    private static readonly ConsentSource Form = ConsentSource.Form("preference center");

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Latest_record_wins()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Grant(Email, Day(1, 10), Form, "v1"),
            ConsentRecord.Withdraw(Email, Day(2, 10), Form),
            ConsentRecord.Grant(Email, Day(3, 10), Form, "v2"),
        ]);

        var state = ledger.GetState(Email);
        Assert.Equal(ConsentStatus.Granted, state.Status);
        Assert.Equal("v2", state.Record!.WordingVersion);
    }

    [Fact]
    public void Withdrawal_is_never_overridden_by_an_older_grant_appended_later()
    {
        // An import appends a grant from January after the March withdrawal was recorded.
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Withdraw(Email, Day(3, 3), Form),
            ConsentRecord.Grant(Email, Day(1, 5), ConsentSource.Import("CRM"), "legacy"),
        ]);

        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email).Status);
    }

    [Fact]
    public void Tie_goes_to_the_withdrawal_in_either_order()
    {
        var grant = ConsentRecord.Grant(Email, Day(3, 3), Form, "v1");
        var withdraw = ConsentRecord.Withdraw(Email, Day(3, 3), Form);

        Assert.Equal(ConsentStatus.Withdrawn, new ConsentLedger([grant, withdraw]).GetState(Email).Status);
        Assert.Equal(ConsentStatus.Withdrawn, new ConsentLedger([withdraw, grant]).GetState(Email).Status);
    }

    [Fact]
    public void Pending_double_opt_in_is_not_consent()
    {
        var ledger = new ConsentLedger([ConsentRecord.Grant(Email, Day(3, 1), Form, "v1", OptInMethod.Double)]);

        var state = ledger.GetState(Email);
        Assert.Equal(ConsentStatus.Pending, state.Status);
        Assert.False(state.IsGranted);
    }

    [Fact]
    public void Confirmed_double_opt_in_takes_effect_at_confirmation()
    {
        var grant = ConsentRecord.Grant(Email, Day(3, 1), Form, "v1", OptInMethod.Double, confirmedAt: Day(3, 5));
        var withdrawBetween = ConsentRecord.Withdraw(Email, Day(3, 3), Form);

        var ledger = new ConsentLedger([grant, withdrawBetween]);

        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email).Status);
        Assert.Equal(Day(3, 5), ledger.GetState(Email).EffectiveAt);
    }

    [Fact]
    public void Pending_re_opt_in_does_not_cancel_an_earlier_grant()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Grant(Email, Day(1, 1), Form, "v1"),
            ConsentRecord.Grant(Email, Day(3, 1), Form, "v2", OptInMethod.Double),
        ]);

        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email).Status);
    }

    [Fact]
    public void Pending_after_withdrawal_reports_pending_and_still_no_consent()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Withdraw(Email, Day(1, 1), Form),
            ConsentRecord.Grant(Email, Day(3, 1), Form, "v2", OptInMethod.Double),
        ]);

        Assert.Equal(ConsentStatus.Pending, ledger.GetState(Email).Status);
    }

    [Fact]
    public void Append_returns_a_new_ledger_and_leaves_the_old_one_unchanged()
    {
        var original = new ConsentLedger([ConsentRecord.Grant(Email, Day(1, 1), Form, "v1")]);

        var appended = original.Append(ConsentRecord.Withdraw(Email, Day(2, 1), Form));

        Assert.Single(original.Records);
        Assert.Equal(ConsentStatus.Granted, original.GetState(Email).Status);
        Assert.Equal(2, appended.Records.Count);
        Assert.Equal(ConsentStatus.Withdrawn, appended.GetState(Email).Status);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(14)] // 16 states: the largest flat ledger
    [InlineData(15)] // 17 states: the smallest indexed one
    [InlineData(16)]
    [InlineData(40)]
    public void Every_scope_is_found_and_states_list_each_once_whatever_the_ledger_size(int topics)
    {
        var records = new List<ConsentRecord>
        {
            ConsentRecord.Grant(Email, Day(1, 1), Form, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForPurpose(ContactPurpose.Marketing), Day(1, 2), Form),
        };
        for (var i = 0; i < topics; i++)
        {
            var topic = ConsentScope.ForTopic("topic-" + i);
            records.Add(ConsentRecord.Grant(topic, Day(1, 1), Form, "v1"));
            if (i % 3 == 0)
            {
                records.Add(ConsentRecord.Withdraw(topic, Day(2, 1), Form));
            }
        }

        var ledger = new ConsentLedger(records);

        Assert.Equal(topics + 2, ledger.States.Count);
        Assert.True(ledger.GetState(Email).IsGranted);
        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(ConsentScope.ForPurpose(ContactPurpose.Marketing)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForChannel(Channel.Sms)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForTopic("topic-" + topics)).Status);
        for (var i = 0; i < topics; i++)
        {
            var scope = ConsentScope.ForTopic("Topic-" + i); // normalized to the same scope
            var expected = i % 3 == 0 ? ConsentStatus.Withdrawn : ConsentStatus.Granted;
            Assert.Equal(expected, ledger.GetState(scope).Status);
            Assert.Equal(expected, ledger.States[scope].Status);
        }
    }

    [Fact]
    public void Scopes_are_independent()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), Day(1, 1), Form, "v1"),
            ConsentRecord.Grant(ConsentScope.ForTopic("Gardening"), Day(1, 1), Form, "v1"),
        ]);

        Assert.True(ledger.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing)).IsGranted);
        Assert.Equal(ConsentStatus.None, ledger.GetState(Email).Status);
        Assert.True(ledger.IsSubscribed("gardening"));
        Assert.Equal(["gardening"], ledger.GetSubscribedTopics());
    }

    [Fact]
    public void Confirmation_before_the_grant_is_rejected()
    {
        var bad = ConsentRecord.Grant(Email, Day(3, 5), Form, "v1", OptInMethod.Double, confirmedAt: Day(3, 1));

        var ex = Assert.Throws<ArgumentException>(() => new ConsentLedger([bad]));
        Assert.Contains("confirmed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_are_stored_in_utc()
    {
        var record = ConsentRecord.Grant(Email, new DateTimeOffset(2026, 3, 3, 22, 0, 0, TimeSpan.FromHours(13)), Form, "v1");

        Assert.Equal(TimeSpan.Zero, record.RecordedAt.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), record.RecordedAt);
    }
}

using Personalize.Channels;
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
        var ledger = new ConsentLedger([ConsentRecord.Grant(Email, Day(3, 1), Form, "v1", OptInMethod.Double, confirmedAt: Day(3, 5))]);

        Assert.Equal(ConsentStatus.Pending, ledger.GetState(Email, Day(3, 3)).Status);
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email, Day(3, 5)).Status);
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email).Status);
        Assert.Equal(Day(3, 5), ledger.GetState(Email).EffectiveAt);
    }

    [Fact]
    public void A_confirmation_clicked_after_a_later_withdrawal_does_not_resubscribe()
    {
        // Issue 13: requested 1 March, withdrawn 3 March, the old confirmation link clicked 5 March.
        var grant = ConsentRecord.Grant(Email, Day(3, 1), Form, "v1", OptInMethod.Double, confirmedAt: Day(3, 5));
        var withdrawBetween = ConsentRecord.Withdraw(Email, Day(3, 3), Form);

        var ledger = new ConsentLedger([grant, withdrawBetween]);

        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email).Status);
        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email, Day(3, 6)).Status);
        Assert.Same(withdrawBetween, ledger.GetState(Email, Day(3, 6)).Record);
    }

    [Fact]
    public void A_double_opt_in_requested_after_a_withdrawal_counts_once_confirmed()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Withdraw(Email, Day(2, 1), Form),
            ConsentRecord.Grant(Email, Day(3, 1), Form, "v2", OptInMethod.Double, confirmedAt: Day(3, 2)),
        ]);

        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email, Day(3, 1)).Status); // requested, not confirmed: the withdrawal stands
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email, Day(3, 2)).Status);
    }

    [Fact]
    public void A_pending_opt_in_expires_after_seven_days_and_a_later_confirmation_does_not_count()
    {
        var requested = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var pending = new ConsentLedger([ConsentRecord.Grant(Email, requested, Form, "v1", OptInMethod.Double)]);
        var lateConfirmation = new ConsentLedger([ConsentRecord.Grant(Email, requested, Form, "v1", OptInMethod.Double, confirmedAt: requested.AddDays(9))]);

        Assert.Equal(ConsentStatus.Pending, pending.GetState(Email, requested.AddDays(7).AddTicks(-1)).Status);
        Assert.Equal(ConsentStatus.None, pending.GetState(Email, requested.AddDays(7)).Status);
        Assert.Equal(ConsentStatus.Pending, pending.GetState(Email, requested.AddDays(10), TimeSpan.FromDays(14)).Status);
        Assert.Equal(ConsentStatus.Pending, pending.GetState(Email).Status); // the evidence as it stands: nothing expires without an instant
        Assert.Equal(ConsentStatus.None, lateConfirmation.GetState(Email, requested.AddDays(10)).Status);
        Assert.Equal(ConsentStatus.Granted, lateConfirmation.GetState(Email, requested.AddDays(10), TimeSpan.FromDays(14)).Status);
        Assert.Equal(ConsentStatus.Granted, lateConfirmation.GetState(Email, requested.AddDays(10), Timeout.InfiniteTimeSpan).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => pending.GetState(Email, requested, TimeSpan.Zero));
    }

    [Fact]
    public void A_record_dated_after_the_instant_asked_does_not_count()
    {
        // Issue 13: a grant dated 2027-01-01 overrode a withdrawal of 2026-03-01 when checking at 2026-03-15.
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Grant(Email, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Form, "v1"),
            ConsentRecord.Withdraw(Email, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Form),
            ConsentRecord.Grant(Email, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Form, "v2"),
        ]);

        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email, new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero)).Status);
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(Email, new DateTimeOffset(2025, 12, 31, 0, 0, 0, TimeSpan.Zero)).Status);
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)).Status);
        Assert.False(ledger.IsSubscribed("x", new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_evidence_cannot_be_changed_through_the_api()
    {
        var grant = ConsentRecord.Grant(Email, Day(1, 1), Form, "v1");
        var source = new[] { grant };
        var ledger = new ConsentLedger(source);

        Assert.IsNotType<ConsentRecord[]>(ledger.Records);
        Assert.False(ledger.Records is ConsentRecord[]);
        var list = Assert.IsAssignableFrom<IList<ConsentRecord>>(ledger.Records);
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = ConsentRecord.Withdraw(Email, Day(1, 1), Form));
        source[0] = ConsentRecord.Withdraw(Email, Day(1, 1), Form); // the caller's array is copied
        Assert.Same(grant, ledger.Records[0]);
        Assert.Equal(ConsentStatus.Granted, ledger.GetState(Email, Day(2, 1)).Status);
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
    public void A_pending_request_never_undoes_a_withdrawal()
    {
        var ledger = new ConsentLedger(
        [
            ConsentRecord.Withdraw(Email, Day(1, 1), Form),
            ConsentRecord.Grant(Email, Day(3, 1), Form, "v2", OptInMethod.Double),
        ]);

        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email).Status);
        Assert.Equal(ConsentStatus.Withdrawn, ledger.GetState(Email, Day(3, 2)).Status);
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

    [Theory]
    [InlineData(3)]
    [InlineData(10)] // more records than a short ledger groups by search
    [InlineData(40)]
    [InlineData(100)] // more records than are grouped in stack memory
    public void Records_of_one_scope_apart_in_the_ledger_are_judged_together_in_recorded_order(int topics)
    {
        // Three rounds over every topic: granted, every third withdrawn, every sixth granted again.
        var records = new List<ConsentRecord>();
        for (var i = 0; i < topics; i++)
        {
            records.Add(ConsentRecord.Grant(ConsentScope.ForTopic("topic-" + i), Day(1, 1), Form, "v1"));
        }

        for (var i = 0; i < topics; i += 3)
        {
            records.Add(ConsentRecord.Withdraw(ConsentScope.ForTopic("topic-" + i), Day(2, 1), Form));
        }

        for (var i = 0; i < topics; i += 6)
        {
            records.Add(ConsentRecord.Grant(ConsentScope.ForTopic("topic-" + i), Day(3, 1), Form, "v1"));
        }

        var ledger = new ConsentLedger(records);

        Assert.Equal(records, ledger.Records);
        Assert.Equal(topics, ledger.States.Count);
        for (var i = 0; i < topics; i++)
        {
            var expected = i % 3 == 0 && i % 6 != 0 ? ConsentStatus.Withdrawn : ConsentStatus.Granted;
            Assert.Equal(expected, ledger.GetState(ConsentScope.ForTopic("topic-" + i)).Status);
            Assert.Equal(i % 3 == 0 ? ConsentStatus.Withdrawn : ConsentStatus.Granted, ledger.GetState(ConsentScope.ForTopic("topic-" + i), Day(2, 15)).Status);
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

    [Fact]
    public void A_confirmation_is_stored_in_utc_and_records_of_the_same_instants_are_equal_whatever_the_offset_given()
    {
        var auckland = TimeSpan.FromHours(13);
        var record = ConsentRecord.Grant(Email, new DateTimeOffset(2026, 3, 3, 22, 0, 0, auckland), Form, "v1", OptInMethod.Double, confirmedAt: new DateTimeOffset(2026, 3, 3, 23, 30, 0, auckland));
        var same = ConsentRecord.Grant(Email, new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), Form, "v1", OptInMethod.Double, confirmedAt: new DateTimeOffset(2026, 3, 3, 10, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 30, 0, TimeSpan.Zero), record.ConfirmedAt);
        Assert.Equal(TimeSpan.Zero, record.ConfirmedAt!.Value.Offset);
        Assert.False(record.IsPending);
        Assert.Equal(record.ConfirmedAt, record.EffectiveAt);
        Assert.Equal(same, record);
        Assert.Equal(same.GetHashCode(), record.GetHashCode());

        var pending = record with { ConfirmedAt = null };
        Assert.Null(pending.ConfirmedAt);
        Assert.True(pending.IsPending);
        Assert.NotEqual(record, pending);
        Assert.Equal(record.RecordedAt, pending.EffectiveAt);

        // The earliest instant there is stays apart from "not confirmed".
        var earliest = ConsentRecord.Grant(Email, DateTimeOffset.MinValue, Form, optIn: OptInMethod.Double, confirmedAt: DateTimeOffset.MinValue);
        Assert.Equal(DateTimeOffset.MinValue, earliest.ConfirmedAt);
        Assert.False(earliest.IsPending);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(12, true)] // 16 scopes: the largest ledger scanned
    [InlineData(13, true)] // 17 scopes: the smallest indexed one
    [InlineData(40, true)]
    [InlineData(0, false)]
    [InlineData(12, false)]
    [InlineData(13, false)]
    [InlineData(40, false)]
    public void A_ledger_of_one_record_per_scope_judges_each_from_its_date_on(int topics, bool asAStoreReadsIt)
    {
        // One record per scope and no double opt-in, as a store reads most customers: each scope is its one record's
        // action from the record's date on and nothing before, whatever kind of scope it is and however many there are.
        var records = new List<ConsentRecord>
        {
            ConsentRecord.Grant(Email, Day(1, 1), Form, "v1"),
            ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Sms), Day(1, 5), Form),
            ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Push, ContactPurpose.Marketing), Day(2, 1), Form),
        };
        for (var i = 0; i < topics; i++)
        {
            records.Add(i % 2 == 0
                ? ConsentRecord.Grant(ConsentScope.ForTopic("topic-" + i), Day(3, 1 + (i % 28)), Form, "v1")
                : ConsentRecord.Withdraw(ConsentScope.ForTopic("topic-" + i), Day(3, 1 + (i % 28)), Form));
        }

        records.Add(ConsentRecord.Withdraw(ConsentScope.ForPurpose(ContactPurpose.Marketing), Day(4, 1), Form));
        // A store's page read keeps such a ledger without scope entries (each record is its scope's entry); the public
        // constructor keeps the entries. Both must judge alike.
        var ledger = asAStoreReadsIt ? ConsentLedger.FromStore([.. records]) : new ConsentLedger(records);
        Assert.Equal(asAStoreReadsIt, ledger.LookupStorage is ConsentRecord[]);

        Assert.Equal(records.Count, ledger.States.Count);
        Assert.Equal(records, ledger.Records);
        foreach (var record in records)
        {
            var expected = record.Action == ConsentAction.Grant ? ConsentStatus.Granted : ConsentStatus.Withdrawn;
            Assert.Equal(ConsentStatus.None, ledger.GetState(record.Scope, record.RecordedAt.AddTicks(-1)).Status);
            var atDate = ledger.GetState(record.Scope, record.RecordedAt);
            Assert.Equal(expected, atDate.Status);
            Assert.Same(record, atDate.Record);
            Assert.Equal(expected, ledger.GetState(record.Scope).Status);
            Assert.Same(record, ledger.States[record.Scope].Record);
        }

        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForChannel(Channel.Push)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.Personalization, Day(12, 1)).Status);
        Assert.Equal(ConsentStatus.None, ledger.GetState(ConsentScope.ForTopic("topic-" + topics)).Status);
        Assert.Equal(Enumerable.Range(0, topics).Where(i => i % 2 == 0).Select(i => "topic-" + i), ledger.GetSubscribedTopics(Day(12, 1)));

        // Appending a second record of a scope (or a double opt-in) judges the scope's records together from then on.
        var withdrawn = ledger.Append(ConsentRecord.Withdraw(Email, Day(6, 1), Form));
        Assert.Equal(ConsentStatus.Granted, withdrawn.GetState(Email, Day(5, 31)).Status);
        Assert.Equal(ConsentStatus.Withdrawn, withdrawn.GetState(Email, Day(6, 1)).Status);
        var pending = ledger.Append(ConsentRecord.Grant(ConsentScope.Personalization, Day(6, 1), Form, optIn: OptInMethod.Double));
        Assert.Equal(ConsentStatus.Pending, pending.GetState(ConsentScope.Personalization, Day(6, 2)).Status);
        Assert.Equal(ConsentStatus.None, pending.GetState(ConsentScope.Personalization, Day(6, 9)).Status);
        Assert.True(pending.GetState(Email, Day(6, 2)).IsGranted);
    }
}

using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

/// <summary>
/// The storage contract: every <see cref="IPersonalizeStore"/> passes these tests. A store's test project derives a
/// class from this one and creates a fresh, empty store in <see cref="CreateStoreAsync"/> (knowing the channels of
/// <see cref="StoreKit.Channels"/>); every test gets its own store and disposes it when it is disposable.
/// </summary>
public abstract partial class PersonalizeStoreContract
{
    /// <summary>Creates a fresh, empty store that knows <paramref name="channels"/>.</summary>
    /// <param name="channels">The channels (built-in and WhatsApp).</param>
    /// <returns>The store.</returns>
    protected abstract Task<IPersonalizeStore> CreateStoreAsync(ChannelRegistry channels);

    // ---------------------------------------------------------------- profiles and import

    [StoreFact]
    public async Task An_imported_customer_reads_back_with_every_fact_consent_record_and_history_record()
    {
        await using var scope = await OpenAsync();
        var customer = Customer("c-1");
        var result = await scope.Store.ImportCustomersAsync([customer]);

        Assert.True(result.Succeeded);
        Assert.Equal((1, 0, 5, 2), (result.Created, result.Updated, result.ConsentRecordsAdded, result.HistoryRecordsAdded));
        var stored = await scope.Store.GetCustomerAsync("c-1");
        Assert.NotNull(stored);
        Assert.True(stored.Version > 0);
        Assert.Equal(FactsJson(customer), FactsJson(stored.Profile));
        Assert.Equal(customer.Consents.Records, stored.Profile.Consents.Records);
        Assert.Equal(customer.History.Records, stored.Profile.History.Records);

        // The ledger's state is computed from the stored records as from the original ones.
        Assert.Equal(customer.Consents.GetState(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing)).Status, stored.Profile.Consents.GetState(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing)).Status);
        Assert.True(stored.Profile.AllowsPersonalization);
    }

    [StoreFact]
    public async Task An_unknown_customer_reads_as_null()
    {
        await using var scope = await OpenAsync();
        Assert.Null(await scope.Store.GetCustomerAsync("nobody"));
        Assert.Equal(0, await scope.Store.CountCustomersAsync());
    }

    [StoreFact]
    public async Task Importing_the_same_customers_again_adds_no_consent_or_history_record_twice()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
        var again = await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);

        Assert.Equal((0, 2, 0, 0), (again.Created, again.Updated, again.ConsentRecordsAdded, again.HistoryRecordsAdded));
        var stored = await scope.Store.GetCustomerAsync("c-1");
        Assert.Equal(5, stored!.Profile.Consents.Records.Count);
        Assert.Equal(2, stored.Profile.History.Count);
    }

    [StoreFact]
    public async Task A_later_import_replaces_the_facts_and_appends_only_new_evidence()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        var changed = Customer("c-1") with
        {
            Stage = LifecycleStage.Retention,
            Consents = Customer("c-1").Consents.Append(ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-1), Form)),
        };

        var result = await scope.Store.ImportCustomersAsync([changed]);

        Assert.Equal((0, 1, 1, 0), (result.Created, result.Updated, result.ConsentRecordsAdded, result.HistoryRecordsAdded));
        var stored = (await scope.Store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal(LifecycleStage.Retention, stored.Stage);
        Assert.Equal(6, stored.Consents.Records.Count);
        Assert.Equal(ConsentStatus.Withdrawn, stored.Consents.GetState(ConsentScope.ForChannel(Channel.Email)).Status);
    }

    [StoreFact]
    public async Task An_import_with_a_duplicate_id_writes_nothing_and_names_the_duplicate()
    {
        await using var scope = await OpenAsync();
        var result = await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2"), Customer("c-1")]);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "c-1", "id", StoreCodes.DuplicateId), (error.Index, error.CustomerId, error.Field, error.Code));
        Assert.Equal(0, await scope.Store.CountCustomersAsync());
        Assert.Null(await scope.Store.GetCustomerAsync("c-2"));
    }

    [StoreFact]
    public async Task An_attribute_over_the_size_limit_is_refused_with_its_code_on_import_and_save()
    {
        await using var scope = await OpenAsync();
        var blob = System.Text.Json.JsonSerializer.SerializeToElement(new string('x', Serialization.CustomerJson.DefaultMaxAttributeBytes));
        var big = Customer("c-2") with { Attributes = new Dictionary<string, System.Text.Json.JsonElement> { ["blob"] = blob } };

        var result = await scope.Store.ImportCustomersAsync([Customer("c-1"), big]);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "c-2", "attributes.blob", Serialization.CustomerJsonCodes.AttributeTooLarge), (error.Index, error.CustomerId, error.Field, error.Code));
        Assert.Equal(0, await scope.Store.CountCustomersAsync());

        await scope.Store.ImportCustomersAsync([Customer("c-2")]);
        var saved = await scope.Store.SaveProfileAsync(big);
        Assert.Equal(WriteStatus.Refused, saved.Status);
        Assert.Contains(Serialization.CustomerJsonCodes.AttributeTooLarge, saved.Reason, StringComparison.Ordinal);
        Assert.False((await scope.Store.GetCustomerAsync("c-2"))!.Profile.Attributes.ContainsKey("blob"));
    }

    [StoreFact]
    public async Task Paging_reads_every_customer_exactly_once_one_page_at_a_time()
    {
        await using var scope = await OpenAsync();
        var ids = Enumerable.Range(0, 23).Select(i => $"c-{i:D3}").Reverse().ToArray();
        await scope.Store.ImportCustomersAsync(ids.Select(Bare).ToList());

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 5, ContinueAfter = token });
            Assert.InRange(page.Items.Count, 1, 5);
            seen.AddRange(page.Items.Select(c => c.Id));
            token = page.ContinueAfter;
            pages++;
        }
        while (token is not null);

        Assert.Equal(5, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(23, await scope.Store.CountCustomersAsync());
    }

    [StoreFact]
    public async Task A_page_gives_each_customer_its_own_evidence_and_history_with_customers_without_any_between()
    {
        await using var scope = await OpenAsync();

        // Ids of any text (in UTF-8 the emoji sorts after U+FF21, in UTF-16 before it), customers with evidence and
        // history beside bare ones, at a page's first and last places too.
        string[] ids = ["a-1", "a-2", "é-3", "emoji-😀", "z-5", "zz-6", "\uFF21-7", "b-8"];
        var full = new HashSet<string>(["a-1", "é-3", "emoji-😀", "\uFF21-7"], StringComparer.Ordinal);
        var import = await scope.Store.ImportCustomersAsync([.. ids.Select(id => full.Contains(id) ? Customer(id) : Bare(id))]);
        Assert.Empty(import.Errors);

        foreach (var limit in new[] { 3, 8 })
        {
            var seen = new List<string>();
            string? token = null;
            do
            {
                var page = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = limit, ContinueAfter = token });
                foreach (var customer in page.Items)
                {
                    seen.Add(customer.Id);
                    var alone = (await scope.Store.GetCustomerAsync(customer.Id))!;
                    Assert.Equal(alone.Profile.Consents.Records, customer.Profile.Consents.Records);
                    Assert.Equal(alone.Profile.History.Records, customer.Profile.History.Records);
                    Assert.Equal(full.Contains(customer.Id) ? 5 : 0, customer.Profile.Consents.Records.Count);
                    Assert.Equal(full.Contains(customer.Id) ? 2 : 0, customer.Profile.History.Records.Count);
                    Assert.Equal(alone.Version, customer.Version);
                    Assert.Equal(alone.Profile.Attributes.Count, customer.Profile.Attributes.Count);
                    Assert.Equal(alone.Profile.ContactPoints.Email, customer.Profile.ContactPoints.Email);
                }

                token = page.ContinueAfter;
            }
            while (token is not null);

            Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        }
    }

    [StoreFact]
    public async Task Paging_an_empty_store_gives_one_empty_last_page()
    {
        await using var scope = await OpenAsync();
        var page = await scope.Store.ReadCustomersAsync(new CustomerQuery());
        Assert.Empty(page.Items);
        Assert.Null(page.ContinueAfter);
    }

    [StoreFact]
    public async Task Several_customers_read_in_one_call_come_in_the_order_asked_without_the_unknown_ones()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("a"), Bare("b"), Bare("c")]);

        var found = await scope.Store.GetCustomersAsync(["c", "zz", "a"]);

        Assert.Equal(["c", "a"], found.Select(c => c.Id));
    }

    [StoreFact]
    public async Task Many_customers_read_in_one_call_with_ids_of_any_text_come_whole_in_the_order_asked()
    {
        await using var scope = await OpenAsync();
        string[] odd = ["q\"uote", "back\\slash", "é-ünï", "emoji-😀", "<tag>&amp;'", "comma\"], [\"x", "tab\tnew\nline"];
        var plain = Enumerable.Range(0, 2_500).Select(i => "n-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var whole = new HashSet<string>(odd.Concat([plain[0], plain[1_999], plain[2_000], plain[2_499]]), StringComparer.Ordinal);
        var import = await scope.Store.ImportCustomersAsync([.. odd.Concat(plain).Select(id => whole.Contains(id) ? Customer(id, email: "someone@example.com") : Bare(id))]);
        Assert.Empty(import.Errors);

        // Asked in another order than the store's, with an unknown id.
        var asked = plain.Reverse().Concat(odd).Append("unknown").ToArray();
        var found = await scope.Store.GetCustomersAsync(asked);

        Assert.Equal(plain.Reverse().Concat(odd), found.Select(c => c.Id));
        foreach (var customer in found.Where(c => whole.Contains(c.Id)))
        {
            Assert.Equal(5, customer.Profile.Consents.Records.Count);
            Assert.Equal(["welcome", "nps"], customer.Profile.History.Records.Select(r => r.MessageId));
            Assert.Equal("Ā" + customer.Id, customer.Profile.Attributes["firstName"].GetString());
        }

        Assert.Equal("emoji-😀", (await scope.Store.GetCustomerAsync("emoji-😀"))?.Id);
    }

    [StoreFact]
    public async Task Saving_a_profile_replaces_its_facts_and_keeps_its_consent_and_history()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        var before = (await scope.Store.GetCustomerAsync("c-1"))!;
        var changed = before.Profile with { Language = "mi-NZ", Consents = ConsentLedger.Empty, History = ContactHistory.Empty };

        var result = await scope.Store.SaveProfileAsync(changed, before.Version);

        Assert.Equal(WriteStatus.Written, result.Status);
        Assert.True(result.Version > before.Version);
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(result.Version, after.Version);
        Assert.Equal("mi-NZ", after.Profile.Language);
        Assert.Equal(5, after.Profile.Consents.Records.Count);
        Assert.Equal(2, after.Profile.History.Count);
    }

    [StoreFact]
    public async Task Saving_a_profile_from_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        await using var scope = await OpenAsync();
        var created = await scope.Store.SaveProfileAsync(Bare("c-1"), expectedVersion: 0);
        Assert.Equal(WriteStatus.Written, created.Status);
        var second = await scope.Store.SaveProfileAsync(Bare("c-1") with { Language = "de" }, created.Version);

        var stale = await scope.Store.SaveProfileAsync(Bare("c-1") with { Language = "fr" }, created.Version);
        var createAgain = await scope.Store.SaveProfileAsync(Bare("c-1") with { Language = "it" }, expectedVersion: 0);

        Assert.Equal(WriteStatus.Conflict, stale.Status);
        Assert.Equal(second.Version, stale.Version);
        Assert.Equal(WriteStatus.Conflict, createAgain.Status);
        Assert.Equal("de", (await scope.Store.GetCustomerAsync("c-1"))!.Profile.Language);
    }

    // ---------------------------------------------------------------- consent ledger

    [StoreFact]
    public async Task Consent_evidence_is_appended_in_order_and_raises_the_version()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        var before = (await scope.Store.GetCustomerAsync("c-1"))!;
        var withdraw = ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, ConsentSource.FromChannel("unsubscribe link"));
        var regrant = ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddMinutes(5), Form, "pc-v4");

        var result = await scope.Store.AppendConsentAsync("c-1", [withdraw, regrant], before.Version);

        Assert.Equal(WriteStatus.Written, result.Status);
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(result.Version, after.Version);
        Assert.True(after.Version > before.Version);
        Assert.Equal([.. before.Profile.Consents.Records, withdraw, regrant], after.Profile.Consents.Records);
    }

    [StoreFact]
    public async Task Consent_for_an_unknown_customer_is_not_found_and_a_stale_version_is_a_conflict()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var record = ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, Form);

        Assert.Equal(WriteStatus.NotFound, (await scope.Store.AppendConsentAsync("nobody", [record])).Status);
        Assert.Equal(WriteStatus.Conflict, (await scope.Store.AppendConsentAsync("c-1", [record], expectedVersion: 999)).Status);
        Assert.Empty((await scope.Store.GetCustomerAsync("c-1"))!.Profile.Consents.Records);
    }

    // ---------------------------------------------------------------- the closed loop: deliveries and history

    [StoreFact]
    public async Task Recording_a_send_writes_the_delivery_log_and_the_contact_history_together()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var customer = (await scope.Store.GetCustomerAsync("c-1"))!;
        var delivery = Send("c-1", "spring-sale", Now, runId: "run-1");

        var result = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = customer.Version, Deliveries = [delivery] }] });

        var outcome = Assert.Single(result.Customers);
        Assert.Equal(WriteStatus.Written, outcome.Status);
        Assert.Empty(outcome.AlreadyRecorded);
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(outcome.Version, after.Version);
        Assert.True(after.Version > customer.Version);
        Assert.Equal([delivery.ToContactRecord()], after.Profile.History.Records);
        var logged = await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey);
        Assert.Equal(delivery with { State = DeliveryState.Pending }, logged);
    }

    [StoreFact]
    public async Task Sends_with_texts_of_any_script_and_length_come_back_from_the_delivery_log_and_history_as_written()
    {
        await using var scope = await OpenAsync();
        var longId = "kunde-" + new string('ß', 140) + "-😀";
        string[] ids = ["é-ünï", "emoji-😀", longId];
        await scope.Store.ImportCustomersAsync([.. ids.Select(id => Bare(id))]);
        var deliveries = ids.Select(id => Send(id, "frühling-" + id.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Now, trigger: "event:Bestellung-versandt", runId: "lauf-" + new string('ü', 200))).ToList();

        var result = await scope.Store.RecordAsync(new SendBatch { Customers = [.. deliveries.Select(d => new CustomerSends { CustomerId = d.CustomerId!, Deliveries = [d] })] });

        Assert.All(result.Customers, c => Assert.Equal(WriteStatus.Written, c.Status));
        foreach (var delivery in deliveries)
        {
            Assert.Equal(delivery with { State = DeliveryState.Pending }, await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey));
            Assert.Equal([delivery.ToContactRecord()], (await scope.Store.GetCustomerAsync(delivery.CustomerId!))!.Profile.History.Records);
        }
    }

    [StoreFact]
    public async Task Recording_a_key_again_writes_nothing_and_says_it_was_already_recorded()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var delivery = Send("c-1", "spring-sale", Now);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery] }] });
        var version = (await scope.Store.GetCustomerAsync("c-1"))!.Version;

        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [delivery with { RunId = "other" }] }] });

        var outcome = Assert.Single(again.Customers);
        Assert.Equal(WriteStatus.Written, outcome.Status);
        Assert.Equal([delivery.IdempotencyKey], outcome.AlreadyRecorded);
        Assert.True(outcome.WasAlreadyRecorded(delivery.IdempotencyKey));
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(version, after.Version);
        Assert.Single(after.Profile.History.Records);
        Assert.Null((await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey))!.RunId);
    }

    [StoreFact]
    public async Task A_send_decided_on_a_stale_version_is_a_conflict_and_writes_nothing_of_that_customer()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var c1 = (await scope.Store.GetCustomerAsync("c-1"))!;
        var c2 = (await scope.Store.GetCustomerAsync("c-2"))!;

        // A withdrawal arrives between the decision and the recording.
        await scope.Store.AppendConsentAsync("c-1", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, Form)]);
        var stale = Send("c-1", "spring-sale", Now);
        var fine = Send("c-2", "spring-sale", Now);
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = c1.Version, Deliveries = [stale], Scheduled = [Scheduled("c-1", "tips", Now.AddHours(5))] },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = c2.Version, Deliveries = [fine] },
            ],
        });

        Assert.Equal([WriteStatus.Conflict, WriteStatus.Written], result.Customers.Select(r => r.Status));
        Assert.Null(await scope.Store.FindDeliveryAsync(stale.IdempotencyKey));
        Assert.Empty((await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records);
        Assert.Empty((await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = "c-1" })).Items);
        Assert.NotNull(await scope.Store.FindDeliveryAsync(fine.IdempotencyKey));
    }

    [StoreFact]
    public async Task Sends_for_an_unknown_customer_are_not_found()
    {
        await using var scope = await OpenAsync();
        var result = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "nobody", Deliveries = [Send("nobody", "m", Now)] }] });

        Assert.Equal(WriteStatus.NotFound, Assert.Single(result.Customers).Status);
        Assert.Null(await scope.Store.FindDeliveryAsync(Send("nobody", "m", Now).IdempotencyKey));
    }

    [StoreFact]
    public async Task A_delivery_naming_another_customer_is_rejected_before_anything_is_written()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var batch = new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [Send("c-2", "m", Now)] }] };

        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(batch));
        Assert.Empty((await scope.Store.ReadDeliveriesAsync(new DeliveryQuery())).Items);
    }

    [StoreFact]
    public async Task A_delivery_recorded_as_delivered_is_never_pending_and_has_its_history_record()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var handed = Send("c-1", "a", Now) with { State = DeliveryState.Delivered };
        var pending = Send("c-1", "b", Now.AddSeconds(1));

        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [handed, pending] }] });

        Assert.Equal(DeliveryState.Delivered, (await scope.Store.FindDeliveryAsync(handed.IdempotencyKey))!.State);
        Assert.Equal([pending.IdempotencyKey], (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending })).Items.Select(d => d.IdempotencyKey));
        Assert.Equal([handed.IdempotencyKey], (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Delivered })).Items.Select(d => d.IdempotencyKey));
        Assert.Equal(["a", "b"], (await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records.Select(r => r.MessageId));
    }

    [StoreFact]
    public async Task Delivered_keys_leave_the_pending_list_and_failed_ones_leave_the_log_and_the_history()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var a = Send("c-1", "a", Now);
        var b = Send("c-1", "b", Now.AddSeconds(1));
        var c = Send("c-1", "c", Now.AddSeconds(2));
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [a, b, c] }] });
        Assert.Equal(3, (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending })).Items.Count);
        var before = (await scope.Store.GetCustomerAsync("c-1"))!.Version;

        await scope.Store.RecordAsync(new SendBatch { Delivered = [a.IdempotencyKey, "pz1_unknownunknownunknownunknownxx"], Failed = [new DeliveryFailure(b.IdempotencyKey, "sink.failed: refused")] });

        Assert.Equal([c.IdempotencyKey], (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending })).Items.Select(d => d.IdempotencyKey));
        Assert.Equal(DeliveryState.Delivered, (await scope.Store.FindDeliveryAsync(a.IdempotencyKey))!.State);
        Assert.Null(await scope.Store.FindDeliveryAsync(b.IdempotencyKey));
        var after = (await scope.Store.GetCustomerAsync("c-1"))!;
        Assert.Equal(["a", "c"], after.Profile.History.Records.Select(r => r.MessageId));
        Assert.True(after.Version > before, "removing a history record changes what decisions read");

        // The failed key can be recorded again later.
        var retry = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [b] }] });
        Assert.Empty(Assert.Single(retry.Customers).AlreadyRecorded);
    }

    [StoreFact]
    public async Task The_delivery_log_pages_in_send_order_and_filters_by_customer_state_and_run()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var sends = Enumerable.Range(0, 7).Select(i => Send(i % 2 == 0 ? "c-1" : "c-2", "m" + i, Now.AddMinutes(10 - i), runId: i < 5 ? "r1" : "r2")).ToList();
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers = sends.GroupBy(d => d.CustomerId!).Select(g => new CustomerSends { CustomerId = g.Key, Deliveries = g.ToList() }).ToList(),
        });

        var all = new List<DeliveryRecord>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 3, ContinueAfter = token });
            all.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(sends.OrderBy(d => d.SentAt).Select(d => d.IdempotencyKey), all.Select(d => d.IdempotencyKey));
        Assert.Equal(4, (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { CustomerId = "c-1" })).Items.Count);
        Assert.Equal(2, (await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { RunId = "r2" })).Items.Count);
        Assert.Empty((await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Delivered })).Items);
    }

    [StoreFact]
    public async Task Times_keep_their_instant_to_the_microsecond_in_utc()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var at = new DateTimeOffset(2026, 3, 15, 21, 30, 15, TimeSpan.FromHours(13)).AddTicks(1234560);
        var delivery = Send("c-1", "m", at);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery] }] });

        var read = (await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey))!;
        Assert.Equal(at.UtcTicks, read.SentAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.SentAt.Offset);
        Assert.Equal(at.UtcTicks, (await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records[0].SentAt.UtcTicks);
    }

    [StoreFact]
    public async Task A_page_read_for_a_run_leaves_that_runs_own_sends_out_of_the_history()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [Send("c-1", "mine", Now, runId: "run-a"), Send("c-1", "theirs", Now.AddSeconds(1), runId: "run-b"), Send("c-1", "nobodys", Now.AddSeconds(2))] }],
        });

        var page = await scope.Store.ReadCustomersAsync(new CustomerQuery { ExcludeHistoryOfRun = "run-a" });
        var whole = await scope.Store.ReadCustomersAsync(new CustomerQuery());

        Assert.Equal(["welcome", "nps", "theirs", "nobodys"], Assert.Single(page.Items).Profile.History.Records.Select(r => r.MessageId));
        Assert.Equal(5, Assert.Single(whole.Items).Profile.History.Count);
        Assert.Equal(page.Items[0].Version, whole.Items[0].Version);
    }

    [StoreFact]
    public async Task A_run_record_given_with_a_batch_is_saved_in_the_same_transaction()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var run = new RunRecord { Id = "r", Trigger = "schedule", At = Now, StartedAt = Now, UpdatedAt = Now, Processed = 1, Sent = 1 };

        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [Send("c-1", "m", Now, runId: "r")] }], Run = run });

        Assert.Equal(run, await scope.Store.GetRunAsync("r"));
    }

    // ---------------------------------------------------------------- scheduled sends

    [StoreFact]
    public async Task Scheduled_sends_are_read_by_due_instant_in_due_order_page_by_page()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var due = Enumerable.Range(0, 9).Select(i => Scheduled(i % 2 == 0 ? "c-1" : "c-2", "m" + i, Now.AddHours(9 - i))).ToList();
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers = due.GroupBy(s => s.CustomerId).Select(g => new CustomerSends { CustomerId = g.Key, Scheduled = g.ToList() }).ToList(),
        });
        Assert.All(result.Customers, r => Assert.Empty(r.AlreadyRecorded));

        var read = new List<ScheduledSend>();
        string? token = null;
        do
        {
            var page = await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { DueBy = Now.AddHours(5), Limit = 2, ContinueAfter = token });
            read.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(due.Where(s => s.DueAt <= Now.AddHours(5)).OrderBy(s => s.DueAt).Select(s => s.IdempotencyKey), read.Select(s => s.IdempotencyKey));
        Assert.Equal(due[0], (await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = "c-1", DueBy = Now.AddHours(9) })).Items[^1]);
        Assert.Equal(5, (await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = "c-1" })).Items.Count);
    }

    [StoreFact]
    public async Task Recording_the_same_scheduled_send_twice_keeps_one()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var send = Scheduled("c-1", "tips", Now.AddHours(12));
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Scheduled = [send] }] });

        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Scheduled = [send] }] });

        Assert.Equal([send.IdempotencyKey], Assert.Single(again.Customers).AlreadyRecorded);
        Assert.Single((await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items);
    }

    [StoreFact]
    public async Task A_due_send_completes_as_sent_with_its_delivery_or_as_dropped_with_its_reason()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var sent = Scheduled("c-1", "tips", Now.AddHours(1));
        var dropped = Scheduled("c-1", "sale", Now.AddHours(2));
        var later = Scheduled("c-1", "nps", Now.AddHours(3));
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Scheduled = [sent, dropped, later] }] });
        var due = Now.AddHours(4);
        var delivery = Send("c-1", "tips", due) with { IdempotencyKey = sent.IdempotencyKey, Channel = Channel.Sms };

        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends
                {
                    CustomerId = "c-1",
                    Deliveries = [delivery],
                    Completions =
                    [
                        new ScheduledSendCompletion { IdempotencyKey = sent.IdempotencyKey, State = ScheduledSendState.Sent, At = due },
                        new ScheduledSendCompletion { IdempotencyKey = dropped.IdempotencyKey, State = ScheduledSendState.Dropped, Reason = "consent.withdrawn_since_decision", At = due },
                        new ScheduledSendCompletion { IdempotencyKey = later.IdempotencyKey, State = ScheduledSendState.Scheduled, DueAt = Now.AddDays(1), At = due },
                    ],
                },
            ],
        });

        Assert.Empty(Assert.Single(result.Customers).AlreadyRecorded);
        var all = (await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = null })).Items.ToDictionary(s => s.MessageId);
        Assert.Equal((ScheduledSendState.Sent, (string?)null, (DateTimeOffset?)due), (all["tips"].State, all["tips"].Reason, all["tips"].CompletedAt));
        Assert.Equal((ScheduledSendState.Dropped, "consent.withdrawn_since_decision"), (all["sale"].State, all["sale"].Reason));
        Assert.Equal((ScheduledSendState.Scheduled, Now.AddDays(1)), (all["nps"].State, all["nps"].DueAt));
        Assert.Equal(["nps"], (await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items.Select(s => s.MessageId));
        Assert.Equal(["tips"], (await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records.Select(r => r.MessageId));

        // A second pass over the same send (another worker, a re-run) changes nothing.
        var again = await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery], Completions = [new ScheduledSendCompletion { IdempotencyKey = sent.IdempotencyKey, State = ScheduledSendState.Dropped, Reason = "x", At = due }] }],
        });
        Assert.Equal([sent.IdempotencyKey, sent.IdempotencyKey], Assert.Single(again.Customers).AlreadyRecorded);
        Assert.Equal(ScheduledSendState.Sent, (await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = ScheduledSendState.Sent })).Items.Single().State);
    }

    [StoreFact]
    public async Task A_completion_of_an_unknown_scheduled_send_is_rejected_before_anything_is_written()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var batch = new SendBatch
        {
            Customers =
            [
                new CustomerSends
                {
                    CustomerId = "c-1",
                    Deliveries = [Send("c-1", "m", Now)],
                    Completions = [new ScheduledSendCompletion { IdempotencyKey = "pz1_nosuchkeynosuchkeynosuchkeynosu", State = ScheduledSendState.Sent, At = Now }],
                },
            ],
        };

        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(batch));
        Assert.Empty((await scope.Store.ReadDeliveriesAsync(new DeliveryQuery())).Items);
    }

    [StoreFact]
    public async Task A_failed_delivery_of_a_due_send_drops_the_send_with_the_reason()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var send = Scheduled("c-1", "tips", Now);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Scheduled = [send] }] });
        var delivery = Send("c-1", "tips", Now) with { IdempotencyKey = send.IdempotencyKey };
        await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery], Completions = [new ScheduledSendCompletion { IdempotencyKey = send.IdempotencyKey, State = ScheduledSendState.Sent, At = Now }] }],
        });

        await scope.Store.RecordAsync(new SendBatch { Failed = [new DeliveryFailure(send.IdempotencyKey, "sink.failed: mailbox full")] });

        var read = Assert.Single((await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = null })).Items);
        Assert.Equal((ScheduledSendState.Dropped, "sink.failed: mailbox full"), (read.State, read.Reason));
        Assert.Empty((await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records);
    }

    // ---------------------------------------------------------------- one customer at a time

    [StoreFact]
    public async Task Of_many_writes_decided_on_the_same_version_exactly_one_is_written()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var version = (await scope.Store.GetCustomerAsync("c-1"))!.Version;

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var batch = new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [Send("c-1", "payment-failed", Now, trigger: "event:e" + i)] }] };
            return (await scope.Store.RecordAsync(batch)).Customers[0].Status;
        })).ToArray();
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == WriteStatus.Written));
        Assert.Equal(7, statuses.Count(s => s == WriteStatus.Conflict));
        Assert.Single((await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records);
    }

    [StoreFact]
    public async Task Of_many_writes_of_the_same_key_at_once_exactly_one_records_it()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);
        var delivery = Send("c-1", "m", Now);

        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            (await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery] }] })).Customers[0].AlreadyRecorded.Count)).ToArray();
        var already = await Task.WhenAll(attempts);

        Assert.Equal(1, already.Count(n => n == 0));
        Assert.Single((await scope.Store.GetCustomerAsync("c-1"))!.Profile.History.Records);
    }

    // ---------------------------------------------------------------- run state

    [StoreFact]
    public async Task Run_records_are_saved_replaced_and_read_newest_first()
    {
        await using var scope = await OpenAsync();
        var first = new RunRecord { Id = RunRecord.CreateId("schedule", Now), Trigger = "schedule", At = Now, StartedAt = Now, UpdatedAt = Now };
        var second = new RunRecord { Id = RunRecord.CreateId("campaign:spring_sale", Now.AddHours(1)), Trigger = "campaign:spring_sale", At = Now.AddHours(1), StartedAt = Now.AddHours(1), UpdatedAt = Now.AddHours(1) };
        await scope.Store.SaveRunAsync(first);
        await scope.Store.SaveRunAsync(second);
        var finished = first with { Status = RunStatus.Completed, Processed = 20, Sent = 15, Scheduled = 3, AlreadySent = 1, Errors = 2, UpdatedAt = Now.AddMinutes(1) };
        await scope.Store.SaveRunAsync(finished);

        Assert.Equal("schedule@2026-03-15T09:00:00.0000000Z", first.Id);
        Assert.Equal(finished, await scope.Store.GetRunAsync(first.Id));
        Assert.Null(await scope.Store.GetRunAsync("nothing"));
        Assert.Equal([second.Id, first.Id], (await scope.Store.ReadRunsAsync(new RunQuery())).Select(r => r.Id));
        Assert.Equal([first.Id], (await scope.Store.ReadRunsAsync(new RunQuery { Trigger = "schedule" })).Select(r => r.Id));
        Assert.Equal([second.Id], (await scope.Store.ReadRunsAsync(new RunQuery { Status = RunStatus.Running })).Select(r => r.Id));
        Assert.Single(await scope.Store.ReadRunsAsync(new RunQuery { Limit = 1 }));
    }

    [StoreFact]
    public async Task A_runs_key_format_is_the_one_it_was_first_saved_with_and_a_record_that_names_none_is_hashed()
    {
        await using var scope = await OpenAsync();
        var ordered = new RunRecord { Id = RunRecord.CreateId("schedule", Now), Trigger = "schedule", At = Now, StartedAt = Now, UpdatedAt = Now, KeyFormat = IdempotencyKeyFormat.TimeOrdered };
        var unnamed = new RunRecord { Id = RunRecord.CreateId("schedule", Now.AddDays(1)), Trigger = "schedule", At = Now.AddDays(1), StartedAt = Now, UpdatedAt = Now };
        await scope.Store.SaveRunAsync(ordered);
        await scope.Store.SaveRunAsync(unnamed);

        // Saved again by a process that would make the other format (and through a batch's run): the first format stays.
        await scope.Store.SaveRunAsync(ordered with { KeyFormat = IdempotencyKeyFormat.Hashed, Processed = 5 });
        await scope.Store.RecordAsync(new SendBatch { Run = unnamed with { KeyFormat = IdempotencyKeyFormat.TimeOrdered, Status = RunStatus.Completed } });

        Assert.Equal(IdempotencyKeyFormat.Hashed, unnamed.KeyFormat);
        Assert.Equal(ordered with { Processed = 5 }, await scope.Store.GetRunAsync(ordered.Id));
        Assert.Equal(unnamed with { Status = RunStatus.Completed }, await scope.Store.GetRunAsync(unnamed.Id));
    }

    // ---------------------------------------------------------------- erasure and suppression

    [StoreFact]
    public async Task Erasure_deletes_the_customer_and_keeps_only_delivery_keys_and_suppression_hashes()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
        var delivery = Send("c-1", "m", Now);
        await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery], Scheduled = [Scheduled("c-1", "tips", Now.AddHours(3))] }] });

        var result = await scope.Store.EraseCustomerAsync("c-1", Now.AddDays(1));

        Assert.Equal(new ErasureResult { Found = true, ConsentRecords = 5, HistoryRecords = 3, ScheduledSends = 1, DeliveriesAnonymized = 1, ContactPointsSuppressed = 3 }, result);
        Assert.Null(await scope.Store.GetCustomerAsync("c-1"));
        Assert.NotNull(await scope.Store.GetCustomerAsync("c-2"));
        Assert.Equal(1, await scope.Store.CountCustomersAsync());
        Assert.Empty((await scope.Store.ReadScheduledSendsAsync(new ScheduledSendQuery { State = null })).Items);
        var kept = (await scope.Store.FindDeliveryAsync(delivery.IdempotencyKey))!;
        Assert.Null(kept.CustomerId);
        Assert.Empty((await scope.Store.ReadDeliveriesAsync(new DeliveryQuery { CustomerId = "c-1" })).Items);

        // The key still counts: recording it again (a resumed run) writes nothing.
        await scope.Store.ImportCustomersAsync([Bare("c-1") with { ContactPoints = new ContactPoints { Email = "new@example.com" } }]);
        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery] }] });
        Assert.Equal([delivery.IdempotencyKey], again.Customers[0].AlreadyRecorded);

        var entry = await scope.Store.FindSuppressionAsync(ContactPointKind.Email, "  C-1@Example.COM ");
        Assert.NotNull(entry);
        Assert.Equal((ContactPointKind.Email, SuppressionReasons.Erased, Now.AddDays(1)), (entry.Kind, entry.Reason, entry.At));
        Assert.DoesNotContain("example", entry.Hash, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(await scope.Store.FindSuppressionAsync(ContactPointKind.DeviceToken, "apns-c-1"));
        Assert.Null(await scope.Store.FindSuppressionAsync(ContactPointKind.Email, "c-2@example.com"));
    }

    [StoreFact]
    public async Task An_erased_address_or_number_is_refused_at_import_with_the_reason_and_the_field()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1", phone: "+64211234567")]);
        await scope.Store.EraseCustomerAsync("c-1", Now);

        var result = await scope.Store.ImportCustomersAsync(
        [
            Bare("fresh"),
            Bare("c-9") with { ContactPoints = new ContactPoints { Email = "C-1@example.com", Phone = "+64 21 123 4567" } },
        ]);

        Assert.False(result.Succeeded);
        Assert.Equal(["contactPoints.email", "contactPoints.phone"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal((1, "c-9", "suppressed.erased"), (e.Index, e.CustomerId, e.Code)));
        Assert.Contains("erased", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Null(await scope.Store.GetCustomerAsync("fresh"));

        var save = await scope.Store.SaveProfileAsync(Bare("c-10") with { ContactPoints = new ContactPoints { Email = "c-1@example.com" } });
        Assert.Equal(WriteStatus.Refused, save.Status);
        Assert.Contains("contactPoints.email", save.Reason, StringComparison.Ordinal);
        Assert.Null(await scope.Store.GetCustomerAsync("c-10"));
    }

    [StoreFact]
    public async Task Erasing_an_unknown_customer_finds_nothing()
    {
        await using var scope = await OpenAsync();
        Assert.Equal(new ErasureResult { Found = false }, await scope.Store.EraseCustomerAsync("nobody", Now));
    }

    [StoreFact]
    public async Task Hard_bounces_and_complaints_go_on_the_suppression_list_once_and_block_imports()
    {
        await using var scope = await OpenAsync();
        var added = await scope.Store.SuppressAsync(
        [
            new SuppressionRequest(ContactPointKind.Email, "bounced@example.com", SuppressionReasons.HardBounce, Now),
            new SuppressionRequest(ContactPointKind.Phone, "+64210000001", SuppressionReasons.Complaint, Now),
            new SuppressionRequest(ContactPointKind.Email, "BOUNCED@example.com", SuppressionReasons.Manual, Now.AddDays(1)),
        ]);

        Assert.Equal(2, added);
        Assert.Equal(SuppressionReasons.HardBounce, (await scope.Store.FindSuppressionAsync(ContactPointKind.Email, "bounced@example.com"))!.Reason);
        Assert.Null(await scope.Store.FindSuppressionAsync(ContactPointKind.Phone, "bounced@example.com"));
        var import = await scope.Store.ImportCustomersAsync([Bare("c-1") with { ContactPoints = new ContactPoints { Email = "bounced@example.com" } }]);
        Assert.Equal("suppressed.hard_bounce", Assert.Single(import.Errors).Code);
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.SuppressAsync([new SuppressionRequest(ContactPointKind.PostalAddress, "x", "manual", Now)]));
    }

    [StoreFact]
    public async Task A_cancelled_call_throws_and_writes_nothing()
    {
        await using var scope = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await scope.Store.ImportCustomersAsync([Bare("c-1")], cancelled.Token));
        Assert.Equal(0, await scope.Store.CountCustomersAsync());
    }

    // ---------------------------------------------------------------- several workers: shares of a run

    [StoreFact]
    public async Task A_page_of_customers_stops_at_the_last_id_asked_for()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync(Enumerable.Range(0, 10).Select(i => Bare($"c-{i:D3}")).ToList());

        var first = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 2, ContinueAfter = "c-002", UpTo = "c-006" });
        var second = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 2, ContinueAfter = first.ContinueAfter, UpTo = "c-006" });
        var whole = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 10, UpTo = "c-0045" });

        Assert.Equal(["c-003", "c-004"], first.Items.Select(c => c.Id));
        Assert.Equal(["c-005", "c-006"], second.Items.Select(c => c.Id));
        Assert.Null(second.ContinueAfter);
        Assert.Equal(["c-000", "c-001", "c-002", "c-003", "c-004"], whole.Items.Select(c => c.Id));
        Assert.Null(whole.ContinueAfter);
    }

    [StoreFact]
    public async Task The_shares_of_a_run_hold_every_customer_exactly_once_and_the_run_is_finished_when_all_are_completed()
    {
        await using var scope = await OpenAsync();
        var ids = Enumerable.Range(0, 23).Select(i => $"c-{i:D3}").ToArray();
        await scope.Store.ImportCustomersAsync(ids.Select(Bare).ToList());

        var seen = new List<string>();
        var shares = new HashSet<int>();
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 50, "the run never finished");
            var result = await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "worker-" + (attempt % 3), ShareSize = 5 });
            if (result.Claim is not { } claim)
            {
                Assert.True(result.IsFinished);
                Assert.Null(result.RetryAfter);
                break;
            }

            Assert.True(shares.Add(claim.Share), $"share {claim.Share} was handed out twice");
            Assert.Equal((1L, false, "worker-" + (attempt % 3)), (claim.Generation, claim.IsTakeover, claim.Worker));
            var after = claim.ContinueAfter ?? claim.After;
            do
            {
                var page = await scope.Store.ReadCustomersAsync(new CustomerQuery { Limit = 2, ContinueAfter = after, UpTo = claim.UpTo });
                Assert.All(page.Items, c => Assert.True(claim.Contains(c.Id)));
                seen.AddRange(page.Items.Select(c => c.Id));
                if (page.Items.Count > 0)
                {
                    claim = await scope.Store.ReportWorkAsync(claim, new WorkReport { ContinueAfter = page.Items[^1].Id, Processed = page.Items.Count, Sent = 2 * page.Items.Count });
                    Assert.NotNull(claim);
                }

                after = page.ContinueAfter;
            }
            while (after is not null);

            Assert.NotNull(await scope.Store.ReportWorkAsync(claim, new WorkReport { Completed = true, Errors = 1 }));
        }

        Assert.Equal(ids, seen);
        var progress = await scope.Store.ReadWorkAsync("run-1");
        Assert.True(progress.IsFinished);
        Assert.Equal((shares.Count, shares.Count, 0L), (progress.Shares, progress.Completed, progress.Takeovers));
        Assert.Equal((23L, 46L, (long)shares.Count), (progress.Processed, progress.Sent, progress.Errors));
        Assert.Equal(0, (await scope.Store.ReadWorkAsync("run-2")).Shares);
        Assert.NotNull((await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-2", Worker = "worker-0" })).Claim);
    }

    [StoreFact]
    public async Task A_share_under_a_live_lease_is_nobody_elses_until_its_holder_completes_it()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        var lease = TimeSpan.FromMinutes(5);
        var first = (await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "a", Lease = lease, ShareSize = 1_000 })).Claim!;

        var second = await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "b", Lease = lease, ShareSize = 1_000 });

        Assert.Null(second.Claim);
        Assert.False(second.IsFinished);
        Assert.Equal(1, second.Remaining);
        Assert.InRange(second.RetryAfter!.Value, TimeSpan.Zero, lease);
        var renewed = await scope.Store.ReportWorkAsync(first, new WorkReport { ContinueAfter = "c-1", Processed = 1 });
        Assert.NotNull(renewed);
        Assert.Equal(("c-1", first.Generation), (renewed.ContinueAfter, renewed.Generation));
        Assert.True(renewed.LeaseUntil >= first.LeaseUntil);
        Assert.NotNull(await scope.Store.ReportWorkAsync(renewed, new WorkReport { ContinueAfter = "c-3", Completed = true, Processed = 2 }));

        var afterwards = await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "b", Lease = lease, ShareSize = 1_000 });
        Assert.True(afterwards.IsFinished);
        Assert.Null(await scope.Store.ReportWorkAsync(renewed, new WorkReport { Processed = 5 }));
        Assert.Equal(3, (await scope.Store.ReadWorkAsync("run-1")).Processed);
    }

    [StoreFact]
    public async Task A_share_whose_lease_ran_out_is_taken_over_from_the_last_reported_customer_and_the_late_holder_is_refused()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3"), Bare("c-4")]);
        var request = new WorkRequest { RunId = "run-1", Worker = "a", Lease = TimeSpan.FromMilliseconds(300), ShareSize = 1_000 };
        var first = (await scope.Store.ClaimWorkAsync(request)).Claim!;
        first = (await scope.Store.ReportWorkAsync(first, new WorkReport { ContinueAfter = "c-2", Processed = 2 }))!;

        WorkClaim? taken = null;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (taken is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the expired share was never handed to another worker");
            var result = await scope.Store.ClaimWorkAsync(request with { Worker = "b", Lease = TimeSpan.FromMinutes(5) });
            taken = result.Claim;
            if (taken is null)
            {
                Assert.Equal(1, result.Remaining);
                await Task.Delay(result.RetryAfter!.Value + TimeSpan.FromMilliseconds(20));
            }
        }

        Assert.Equal(("b", 2L, true, "c-2"), (taken.Worker, taken.Generation, taken.IsTakeover, taken.ContinueAfter));
        Assert.Null(await scope.Store.ReportWorkAsync(first, new WorkReport { ContinueAfter = "c-4", Completed = true, Processed = 2 }));
        var progress = await scope.Store.ReadWorkAsync("run-1");
        Assert.Equal((0, 1L, 2L), (progress.Completed, progress.Takeovers, progress.Processed));
        Assert.NotNull(await scope.Store.ReportWorkAsync(taken, new WorkReport { ContinueAfter = "c-4", Completed = true, Processed = 2 }));
        Assert.True((await scope.Store.ReadWorkAsync("run-1")).IsFinished);
    }

    [StoreFact]
    public async Task Workers_claiming_at_once_never_get_the_same_share()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync(Enumerable.Range(0, 23).Select(i => Bare($"c-{i:D3}")).ToList());

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            (await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "w" + i, ShareSize = 5, Lease = TimeSpan.FromMinutes(5) })).Claim)));

        var held = claims.Where(c => c is not null).Select(c => c!.Share).ToList();
        Assert.NotEmpty(held);
        Assert.Equal(held.Count, held.Distinct().Count());
        Assert.InRange(held.Count, 1, (await scope.Store.ReadWorkAsync("run-1")).Shares);
    }

    [StoreFact]
    public async Task Bad_work_requests_and_reports_are_refused_with_an_argument_error()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Bare("c-1")]);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "" }));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "a", Lease = TimeSpan.Zero }));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "a", ShareSize = 0 }));
        var claim = (await scope.Store.ClaimWorkAsync(new WorkRequest { RunId = "run-1", Worker = "a" })).Claim!;
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await scope.Store.ReportWorkAsync(claim, new WorkReport { Processed = -1 }));
        if (claim.UpTo is { } upTo)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await scope.Store.ReportWorkAsync(claim, new WorkReport { ContinueAfter = upTo + "z" }));
        }
    }

    private async Task<StoreScope> OpenAsync() => new(await CreateStoreAsync(StoreKit.Channels));

    /// <summary>A store for one test, disposed at its end.</summary>
    protected sealed class StoreScope(IPersonalizeStore store) : IAsyncDisposable
    {
        public IPersonalizeStore Store { get; } = store;

        public async ValueTask DisposeAsync()
        {
            switch (Store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}

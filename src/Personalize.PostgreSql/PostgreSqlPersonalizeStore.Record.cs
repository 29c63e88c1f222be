using Npgsql;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;
using Personalize.Channels;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    private async Task<SendBatchResult> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SendBatch batch, CancellationToken cancellationToken)
    {
        var entries = batch.Customers;
        var results = new CustomerSendsResult[entries.Count];

        // The suppression list as this transaction reads it: a contact point listed since the decision refuses its delivery.
        IReadOnlyList<string>[]? suppressed = null;
        var hashes = SuppressionFilter.HasContactPoints(batch) ? SuppressionFilter.HashesOf(batch, _salt) : null;
        if (hashes is not null
            && await FindSuppressionsAsync(connection, transaction, [.. hashes.Distinct], cancellationToken).ConfigureAwait(false) is { Count: > 0 } listed)
        {
            suppressed = new IReadOnlyList<string>[entries.Count];
            var filtered = new CustomerSends[entries.Count];
            for (var i = 0; i < filtered.Length; i++)
            {
                filtered[i] = SuppressionFilter.Apply(entries[i], hashes.Of(i), listed.ContainsKey, out suppressed[i]);
            }

            entries = filtered;
        }

        var refused = batch.RunPages.Count > 0 ? await RecordRunPagesAsync(connection, transaction, batch.RunPages, cancellationToken).ConfigureAwait(false) : null;
        var versions = await LockVersionsAsync(connection, transaction, entries.Select(static e => e.CustomerId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);

        // Entries are written in rounds of distinct customers (almost always one round): a second entry for the same
        // customer is checked against the version the first one left, as if they were written one after the other.
        var remaining = new List<int>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            // A customer of a run page another process recorded first: decided with another tag, written by nobody here.
            if (StoreChecks.InRefusedPage(refused, entries[i].CustomerId))
            {
                results[i] = versions.TryGetValue(entries[i].CustomerId, out var current)
                    ? new CustomerSendsResult(entries[i].CustomerId, WriteStatus.Conflict, current, [])
                    : new CustomerSendsResult(entries[i].CustomerId, WriteStatus.NotFound, 0, []);
                continue;
            }

            // An entry that asked to be refused whole when the list refuses one of its deliveries writes nothing.
            if (suppressed is not null && SuppressionFilter.RefusesAll(entries[i], suppressed[i]))
            {
                results[i] = SuppressionFilter.Refused(entries[i], suppressed[i]);
                continue;
            }

            remaining.Add(i);
        }

        var finalWritten = false;
        while (remaining.Count > 0 || !finalWritten)
        {
            var round = new List<int>();
            var next = new List<int>();
            var inRound = new HashSet<string>(StringComparer.Ordinal);
            foreach (var i in remaining)
            {
                (inRound.Add(entries[i].CustomerId) ? round : next).Add(i);
            }

            var last = next.Count == 0;
            await RecordRoundAsync(connection, transaction, entries, round, versions, results, last ? batch : null, cancellationToken).ConfigureAwait(false);
            finalWritten = last;
            remaining = next;
        }

        if (suppressed is not null)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = SuppressionFilter.With(results[i], suppressed[i]);
            }
        }

        return new SendBatchResult(results);
    }

    /// <summary>
    /// Records a batch's run pages first in its transaction; returns the ones refused because they overlap a page the run
    /// holds. The run's advisory lock, held to the commit, makes the check and the insert of two writers of one run
    /// (two processes, or workers continuing a page-tagged run) one after the other; only batches with pages take it.
    /// </summary>
    private async Task<List<RunPage>?> RecordRunPagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RunPage> pages, CancellationToken cancellationToken)
    {
        foreach (var runId in pages.Select(static p => p.RunId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await using var wait = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@lock, 0))");
            Param(wait.Parameters, "lock", "personalize.run_pages." + Schema + "." + runId);
            await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        List<RunPage>? refused = null;
        foreach (var page in pages)
        {
            // A run's pages never overlap, so the last one starting at or before this page's last customer is the only
            // one that can overlap it.
            RunPage? held = null;
            await using (var find = Command(connection, transaction, $"SELECT first_customer, last_customer, tag FROM {_sql.S}.run_pages WHERE run_id = @run AND first_customer <= @last ORDER BY first_customer DESC LIMIT 1"))
            {
                Param(find.Parameters, "run", page.RunId);
                Param(find.Parameters, "last", page.LastCustomerId);
                await using var data = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    held = new RunPage { RunId = page.RunId, FirstCustomerId = data.GetString(0), LastCustomerId = data.GetString(1), Tag = data.GetString(2) };
                }
            }

            if (!StoreChecks.InsertsRunPage(page, held, ref refused))
            {
                continue;
            }

            await using var insert = Command(connection, transaction, $"INSERT INTO {_sql.S}.run_pages (run_id, first_customer, last_customer, tag) VALUES (@run, @first, @last, @tag)");
            Param(insert.Parameters, "run", page.RunId);
            Param(insert.Parameters, "first", page.FirstCustomerId);
            Param(insert.Parameters, "last", page.LastCustomerId);
            Param(insert.Parameters, "tag", page.Tag);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return refused;
    }

    /// <summary>One round: every accepted entry's deliveries, scheduled sends and completions in one batch of statements (and, in the last round, the batch's delivered marks and failures).</summary>
    private async Task RecordRoundAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<CustomerSends> entries,
        List<int> round,
        Dictionary<string, long> versions,
        CustomerSendsResult[] results,
        SendBatch? final,
        CancellationToken cancellationToken)
    {
        var accepted = new List<int>();
        foreach (var i in round)
        {
            var entry = entries[i];
            if (!versions.TryGetValue(entry.CustomerId, out var version))
            {
                results[i] = new CustomerSendsResult(entry.CustomerId, WriteStatus.NotFound, 0, []);
            }
            else if (entry.ExpectedVersion is { } expected && expected != version)
            {
                results[i] = new CustomerSendsResult(entry.CustomerId, WriteStatus.Conflict, version, []);
            }
            else
            {
                accepted.Add(i);
            }
        }

        // An entry with an event the store holds is a conflict (the caller reads again and leaves the event out).
        if (await HeldEventsAsync(connection, transaction, entries, accepted, cancellationToken).ConfigureAwait(false) is { Count: > 0 } held)
        {
            foreach (var i in accepted.Where(i => entries[i].Events.Any(e => held.Contains(e.Id))).ToList())
            {
                results[i] = new CustomerSendsResult(entries[i].CustomerId, WriteStatus.Conflict, versions[entries[i].CustomerId], []);
                accepted.Remove(i);
            }
        }

        // The asks of the messages' questions (facts, and nothing else but deliveries) are written by the deliveries'
        // statement: one update of the customer's row, no statement of their own and no round trip before the batch.
        var askFacts = AsksWithDeliveries(entries, accepted);
        var eventWrites = await WriteEventsAsync(connection, transaction, entries, accepted, askFacts, cancellationToken).ConfigureAwait(false);
        var (journeyWrites, journeysAlready) = await WriteJourneysAsync(connection, transaction, entries, accepted, cancellationToken).ConfigureAwait(false);

        await using var command = new NpgsqlBatch(connection, transaction);
        var deliveries = AddDeliveries(command, entries, accepted, askFacts);
        var scheduled = AddScheduled(command, entries, accepted);
        var rescheduled = AddCompletions(command, entries, accepted, reschedule: true);
        var completed = AddCompletions(command, entries, accepted, reschedule: false);
        if (final is not null)
        {
            if (final.Delivered.Count > 0)
            {
                var delivered = new NpgsqlBatchCommand(_sql.MarkDelivered);
                Param(delivered.Parameters, "keys", final.Delivered.ToArray());
                command.BatchCommands.Add(delivered);
            }

            if (final.Failed.Count > 0)
            {
                var failed = new NpgsqlBatchCommand(_sql.Fail);
                Param(failed.Parameters, "k", final.Failed.Select(static f => f.IdempotencyKey).ToArray());
                Param(failed.Parameters, "reason", final.Failed.Select(static f => f.Reason).ToArray());
                command.BatchCommands.Add(failed);
            }

            if (final.Run is { } run)
            {
                var save = new NpgsqlBatchCommand(_sql.SaveRun);
                AddRunParameters(save.Parameters, run);
                command.BatchCommands.Add(save);
            }
        }

        var insertedDeliveries = new HashSet<string>(StringComparer.Ordinal);
        var insertedScheduled = new HashSet<string>(StringComparer.Ordinal);
        var updatedCompletions = new HashSet<string>(StringComparer.Ordinal);
        if (command.BatchCommands.Count > 0)
        {
            await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (added, into) in new[] { (deliveries, insertedDeliveries), (scheduled, insertedScheduled), (rescheduled, updatedCompletions), (completed, updatedCompletions) })
            {
                if (!added)
                {
                    continue;
                }

                while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    into.Add(data.GetString(0));
                }

                await data.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // Completions nothing was updated for: already done (another worker, a re-run), or not this customer's send.
        var missing = accepted.SelectMany(i => entries[i].Completions).Select(static c => c.IdempotencyKey).Where(k => !updatedCompletions.Contains(k)).Distinct(StringComparer.Ordinal).ToArray();
        var owners = missing.Length == 0 ? [] : await ReadScheduledOwnersAsync(connection, transaction, missing, cancellationToken).ConfigureAwait(false);

        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in accepted)
        {
            var entry = entries[i];
            List<string>? already = journeysAlready.TryGetValue(i, out var heldJourneys) ? heldJourneys : null;
            var historyAdded = false;
            foreach (var delivery in entry.Deliveries)
            {
                // A key inserted by this statement counts as new once; a repeat of it in the same batch is already recorded.
                if (insertedDeliveries.Contains(delivery.IdempotencyKey) && counted.Add(delivery.IdempotencyKey))
                {
                    historyAdded = true;
                }
                else
                {
                    (already ??= []).Add(delivery.IdempotencyKey);
                }
            }

            foreach (var send in entry.Scheduled)
            {
                if (!(insertedScheduled.Contains(send.IdempotencyKey) && counted.Add(send.IdempotencyKey)))
                {
                    (already ??= []).Add(send.IdempotencyKey);
                }
            }

            foreach (var completion in entry.Completions)
            {
                if (updatedCompletions.Contains(completion.IdempotencyKey) && counted.Add("completion:" + completion.IdempotencyKey))
                {
                    continue;
                }

                if (!string.Equals(owners.GetValueOrDefault(completion.IdempotencyKey), entry.CustomerId, StringComparison.Ordinal))
                {
                    // Thrown inside the transaction: nothing of the batch is committed.
                    throw new ArgumentException($"Completion of '{completion.IdempotencyKey}': customer {entry.CustomerId} has no scheduled send with this key.", "batch");
                }

                (already ??= []).Add(completion.IdempotencyKey);
            }

            var version = versions[entry.CustomerId] + (historyAdded ? 1 : 0) + (eventWrites.Contains(i) || (askFacts?.Contains(i) ?? false) ? 1 : 0) + (journeyWrites.Contains(i) ? 1 : 0);
            versions[entry.CustomerId] = version;
            results[i] = new CustomerSendsResult(entry.CustomerId, WriteStatus.Written, version, already ?? (IReadOnlyList<string>)[]);
        }
    }

    /// <summary>
    /// The accepted entries whose facts go with the deliveries' statement (<see cref="Sql.InsertDeliveriesWithFacts"/>):
    /// facts without a profile, consent records, events or changes (the send run's asks), in a round with deliveries to
    /// write; <see langword="null"/> when there are none.
    /// </summary>
    private static HashSet<int>? AsksWithDeliveries(IReadOnlyList<CustomerSends> entries, List<int> accepted)
    {
        HashSet<int>? asks = null;
        var withDeliveries = false;
        foreach (var i in accepted)
        {
            var entry = entries[i];
            withDeliveries |= entry.Deliveries.Count > 0;
            if (entry.HasFacts && entry.Profile is null && entry.Consents.Count == 0 && entry.Events.Count == 0 && entry.Changes.Count == 0)
            {
                (asks ??= []).Add(i);
            }
        }

        return withDeliveries ? asks : null;
    }

    private bool AddDeliveries(NpgsqlBatch batch, IReadOnlyList<CustomerSends> entries, List<int> accepted, HashSet<int>? askFacts)
    {
        var count = accepted.Sum(i => entries[i].Deliveries.Count);
        if (count == 0)
        {
            return false;
        }

        var keys = new string[count];
        var customers = new string[count];
        var messages = new string[count];
        var channels = new string[count];
        var purposes = new short[count];
        var kinds = new short[count];
        var sentAt = new long[count];
        var triggers = new string[count];
        var templates = new string?[count];
        var runs = new string?[count];
        var states = new short[count];
        var n = 0;
        foreach (var i in accepted)
        {
            foreach (var delivery in entries[i].Deliveries)
            {
                keys[n] = delivery.IdempotencyKey;
                customers[n] = entries[i].CustomerId;
                messages[n] = delivery.MessageId;
                channels[n] = delivery.Channel.Name!;
                purposes[n] = (short)delivery.Purpose;
                kinds[n] = (short)delivery.Kind;
                sentAt[n] = delivery.SentAt.UtcTicks;
                triggers[n] = delivery.Trigger;
                templates[n] = delivery.Template;
                runs[n] = delivery.RunId;
                states[n] = (short)delivery.State;
                n++;
            }
        }

        var command = new NpgsqlBatchCommand(askFacts is null ? _sql.InsertDeliveries : _sql.InsertDeliveriesWithFacts);
        if (askFacts is not null)
        {
            var ids = new string[askFacts.Count];
            var facts = new byte[]?[askFacts.Count];
            var f = 0;
            foreach (var i in accepted)
            {
                if (askFacts.Contains(i))
                {
                    ids[f] = entries[i].CustomerId;
                    facts[f++] = entries[i].Facts is { Count: > 0 } set ? Events.StoredFacts.ToBytes(set) : null;
                }
            }

            Param(command.Parameters, "fid", ids);
            Param(command.Parameters, "ff", facts);
        }

        Param(command.Parameters, "k", keys);
        Param(command.Parameters, "c", customers);
        Param(command.Parameters, "m", messages);
        Param(command.Parameters, "ch", channels);
        Param(command.Parameters, "p", purposes);
        Param(command.Parameters, "kd", kinds);
        Param(command.Parameters, "at", sentAt);
        Param(command.Parameters, "tr", triggers);
        Param(command.Parameters, "tp", templates);
        Param(command.Parameters, "r", runs);
        Param(command.Parameters, "st", states);
        batch.BatchCommands.Add(command);
        return true;
    }

    private bool AddScheduled(NpgsqlBatch batch, IReadOnlyList<CustomerSends> entries, List<int> accepted)
    {
        var sends = accepted.SelectMany(i => entries[i].Scheduled).ToList();
        if (sends.Count == 0)
        {
            return false;
        }

        var command = new NpgsqlBatchCommand(_sql.InsertScheduled);
        Param(command.Parameters, "k", sends.Select(static s => s.IdempotencyKey).ToArray());
        Param(command.Parameters, "c", sends.Select(static s => s.CustomerId).ToArray());
        Param(command.Parameters, "m", sends.Select(static s => s.MessageId).ToArray());
        Param(command.Parameters, "ch", sends.Select(static s => s.Channel.Name!).ToArray());
        Param(command.Parameters, "tp", sends.Select(static s => s.Template).ToArray());
        Param(command.Parameters, "tr", sends.Select(static s => s.Trigger).ToArray());
        Param(command.Parameters, "p", sends.Select(static s => (short)s.Purpose).ToArray());
        Param(command.Parameters, "kd", sends.Select(static s => (short)s.Kind).ToArray());
        Param(command.Parameters, "due", sends.Select(static s => s.DueAt.UtcTicks).ToArray());
        Param(command.Parameters, "dec", sends.Select(static s => s.DecidedAt.UtcTicks).ToArray());
        Param(command.Parameters, "r", sends.Select(static s => s.RunId).ToArray());
        batch.BatchCommands.Add(command);
        return true;
    }

    private bool AddCompletions(NpgsqlBatch batch, IReadOnlyList<CustomerSends> entries, List<int> accepted, bool reschedule)
    {
        var completions = accepted
            .SelectMany(i => entries[i].Completions.Select(c => (entries[i].CustomerId, Completion: c)))
            .Where(c => (c.Completion.State == ScheduledSendState.Scheduled) == reschedule)
            .ToList();
        if (completions.Count == 0)
        {
            return false;
        }

        var command = new NpgsqlBatchCommand(reschedule ? _sql.Reschedule : _sql.Complete);
        Param(command.Parameters, "k", completions.Select(static c => c.Completion.IdempotencyKey).ToArray());
        Param(command.Parameters, "c", completions.Select(static c => c.CustomerId).ToArray());
        if (reschedule)
        {
            Param(command.Parameters, "due", completions.Select(static c => c.Completion.DueAt!.Value.UtcTicks).ToArray());
        }
        else
        {
            Param(command.Parameters, "st", completions.Select(static c => (short)c.Completion.State).ToArray());
            Param(command.Parameters, "reason", completions.Select(static c => c.Completion.Reason).ToArray());
            Param(command.Parameters, "at", completions.Select(static c => c.Completion.At.UtcTicks).ToArray());
        }

        batch.BatchCommands.Add(command);
        return true;
    }

    private async Task<Dictionary<string, string>> ReadScheduledOwnersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] keys, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = Command(connection, transaction, _sql.ScheduledOwners);
        Param(command.Parameters, "keys", keys);
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            owners[data.GetString(0)] = data.GetString(1);
        }

        return owners;
    }
}

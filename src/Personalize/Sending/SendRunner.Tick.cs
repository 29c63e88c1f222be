using Personalize.Catalog;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Sending;

public sealed partial class SendRunner
{
    private const int MaxTickConflictAttempts = 8;

    /// <summary>
    /// Looks at every stored customer for like-a-friend occasions (welcome, thank-you, welcome back, we miss you,
    /// anniversary, birthday — see <see cref="LikeAFriendOptions"/>) and tenure stage changes, and answers each through
    /// the decision rules (<c>occasion:NAME</c>, <c>stage:NAME</c>). Each occasion fires once: the occasion's mark
    /// (fact <c>fired.NAME</c>) and the messages it caused are written in one transaction per page, so running the tick
    /// twice, or again after a crash at any point, fires nothing twice.
    /// </summary>
    /// <param name="run">The catalog, templates, instant, occasions and lifecycle rules.</param>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Stops after the page in hand.</param>
    /// <returns>What fired and what was sent.</returns>
    public async Task<TickSummary> TickAsync(TickRun run, IPersonalizeStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        var at = run.At ?? _timeProvider.GetUtcNow();
        var occasions = run.Occasions ?? new LikeAFriendOptions();
        var lifecycle = run.Lifecycle ?? LifecycleRules.Default;
        var matrix = run.Matrix ?? RelationshipMatrix.Default;
        if (matrix.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(run));
        }

        foreach (var deal in occasions.GoodDeals)
        {
            if (!Consent.ConsentScope.TryNormalizeTopic(deal.Name, out var dealName) || dealName != deal.Name)
            {
                throw new ArgumentException($"The good deal '{deal.Name}' needs a trigger name (lower-case letters, digits, '_', '-', '.').", nameof(run));
            }
        }

        ThrowIfOtherCatalog(run.Journeys, run.Catalog, nameof(TickRun));
        using var state = NewState(new SendRun(run.Catalog, run.Templates, Trigger.Tick) { At = at }, at, null, RunKinds.Tick);
        state.Begin(null);
        await RecoverAsync(store, run.Catalog, run.Templates, state, cancellationToken).ConfigureAwait(false);
        var loop = new Loop(this, store, state, null, null);
        var handler = new TriggerHandler(this, loop, state, run.Catalog, run.Templates, run.Journeys);
        var fired = new Dictionary<string, long>(StringComparer.Ordinal);
        long customers = 0, stageChanges = 0, tierChanges = 0;
        string? token = null;
        do
        {
            IReadOnlyList<StoredCustomer> pending;
            var query = new CustomerQuery { Limit = _options.PageSize, ContinueAfter = token };
            if (store is IScreenReader narrow)
            {
                // Screen the page on its facts and a few profile fields; read whole only the customers something is due for.
                var rows = await narrow.ReadTickPageAsync(query, cancellationToken).ConfigureAwait(false);
                customers += rows.Items.Count;
                token = rows.ContinueAfter;
                List<string>? whole = null;
                foreach (var row in rows.Items)
                {
                    if (row.Screen is null || Occasions.Tick(row.Screen, occasions, lifecycle, matrix, at, screen: true) is not null)
                    {
                        (whole ??= []).Add(row.Id);
                    }
                }

                pending = whole is null ? [] : await store.GetCustomersAsync(whole, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var page = await store.ReadCustomersAsync(query, cancellationToken).ConfigureAwait(false);
                customers += page.Items.Count;
                token = page.ContinueAfter;
                pending = page.Items;
            }

            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                var updates = new List<CustomerUpdate>();
                foreach (var customer in pending)
                {
                    if (Occasions.Tick(customer, occasions, lifecycle, matrix, at) is { } update)
                    {
                        updates.Add(update);
                    }
                }

                if (updates.Count == 0)
                {
                    break;
                }

                var writes = new List<CustomerSends>(updates.Count);
                var plans = new object?[updates.Count];
                for (var u = 0; u < updates.Count; u++)
                {
                    (var write, plans[u]) = handler.Plan(updates[u], updates[u].ToSends(), cancellationToken);
                    writes.Add(write);
                }

                var result = await loop.WriteAsync(writes, cancellationToken).ConfigureAwait(false);
                var conflicts = new List<string>();
                for (var u = 0; u < updates.Count; u++)
                {
                    var written = result.Customers[u];
                    if (written.Status == WriteStatus.Written)
                    {
                        foreach (var (trigger, _) in updates[u].Triggers)
                        {
                            if (trigger.Kind == TriggerKind.Occasion)
                            {
                                fired[trigger.Name] = fired.GetValueOrDefault(trigger.Name) + 1;
                            }
                        }

                        foreach (var c in updates[u].Changes)
                        {
                            if (c.Kind == ChangeKinds.Tier)
                            {
                                tierChanges++;
                            }
                            else
                            {
                                stageChanges++;
                            }
                        }

                        await handler.WrittenAsync(updates[u], written, plans[u], cancellationToken).ConfigureAwait(false);
                    }
                    else if (written.Status == WriteStatus.Conflict && attempt < MaxTickConflictAttempts)
                    {
                        conflicts.Add(updates[u].Stored.Id);
                    }
                    else if (written.Status == WriteStatus.Conflict)
                    {
                        state.Error(new SendError(updates[u].Stored.Id, null, null, SendErrorCodes.StoreConflict, $"The customer was written to by someone else {attempt} times while the tick looked at it; tick again."));
                    }
                }

                // Read the customers written to meanwhile and look again: an occasion another tick fired is marked now.
                pending = conflicts.Count == 0 ? [] : await store.GetCustomersAsync(conflicts, cancellationToken).ConfigureAwait(false);
            }
        }
        while (token is not null && !run.StopAfterPage.IsCancellationRequested);

        // The entries just written are due at the tick's instant: one pass over every due instance runs their first steps too.
        var journeys = run.Journeys is null ? null : await handler.AdvanceDueJourneysAsync(store, at, run.StopAfterPage, cancellationToken).ConfigureAwait(false);
        await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
        var totals = state.Snapshot();
        state.Complete(totals);
        return new TickSummary { Customers = customers, Fired = fired, StageChanges = stageChanges, TierChanges = tierChanges, Sends = totals, Errors = state.Errors.ToArray(), Journeys = journeys?.Summary(state), At = at };
    }
}
